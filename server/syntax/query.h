// Tree-sitter queries: the per-language .scm files of grammars/queries (declarations, imports,
// calls, comments) compiled once per process, and a bounded way to run them. Capture names are
// the contract between the .scm files and the code: `@definition.<kind>` + `@name` for
// declarations, `@import` + `@import.source` (+ `@import.name`) for imports, `@call` +
// `@call.name` for calls, `@comment` for comments.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/document.h"
#include "syntax/language.h"

namespace aspm::syntax {

// Bindings: the local names an import binds (`@binding.local`, `@binding.source`, optional
// `@binding.imported`); Routes: web route registrations (`@route`, `@route.path`, see
// mapping/routes.h).
enum class QueryKind : std::uint8_t { Declarations, Imports, Calls, Comments, Bindings, Routes };
std::string_view idOf(QueryKind) noexcept;

// Where a query failed to compile: 1-based line and column in `file`.
struct QueryError {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
  // "grammars/queries/python/calls.scm:3:5: invalid node type 'foo'"
  std::string describe() const;
};

class Query {
 public:
  ~Query();
  Query(Query&&) noexcept;
  Query& operator=(Query&&) noexcept;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Language language() const noexcept;
  const std::string& file() const noexcept;
  std::uint32_t captureCount() const noexcept;
  std::string_view captureName(std::uint32_t id) const noexcept;

  struct Impl;
  const Impl& impl() const noexcept { return *impl_; }

 private:
  friend struct QueryFactory;
  explicit Query(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Compile `source` for `language`; `file` is only used to name the source in errors.
struct CompiledQuery {
  std::unique_ptr<Query> query;  // null on error
  QueryError error;
};
CompiledQuery compileQuery(Language language, std::string_view source, std::string_view file);

// The embedded query of that kind for that language, compiled on first use (thread-safe); null
// when the language has none or it failed to compile (see queryErrors()).
const Query* queryFor(Language language, QueryKind kind);

// Every embedded query that fails to compile, plus query files that name an unknown language or
// kind. Empty in a correct build; a unit test keeps it so.
std::vector<QueryError> queryErrors();

struct Capture {
  std::string_view name;      // capture name without '@'
  std::string_view nodeType;
  std::uint32_t startByte = 0;
  std::uint32_t endByte = 0;
  std::uint32_t startLine = 0;  // 0-based
  std::uint32_t endLine = 0;
};

struct Match {
  std::uint32_t pattern = 0;
  std::vector<Capture> captures;
};

// Bounds on one query execution, so a pathological file cannot stall the server.
struct QueryLimits {
  std::uint32_t startByte = 0;
  std::uint32_t endByte = UINT32_MAX;  // matches intersecting [startByte, endByte)
  std::uint32_t inProgressMatches = 256;  // tree-sitter's match limit
  std::uint32_t maxMatches = 100000;      // stop collecting after this many
};

struct QueryRun {
  std::vector<Match> matches;
  bool truncated = false;  // a limit cut the results short
};

QueryRun runQuery(const Query& query, const Document& document, const QueryLimits& limits = {});

}  // namespace aspm::syntax
