// RAII for tree-sitter handles: one deleter per handle type, so every parser, tree, query and
// cursor has exactly one owner and is freed on every path. Internal to syntax/ (the only module
// allowed to see tree_sitter/api.h).
#pragma once

#include <tree_sitter/api.h>

#include <memory>

#include "syntax/language.h"

namespace aspm::syntax::detail {

struct ParserDeleter {
  void operator()(TSParser* p) const noexcept { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const noexcept { ts_tree_delete(t); }
};
struct QueryDeleter {
  void operator()(TSQuery* q) const noexcept { ts_query_delete(q); }
};
struct QueryCursorDeleter {
  void operator()(TSQueryCursor* c) const noexcept { ts_query_cursor_delete(c); }
};

using ParserPtr = std::unique_ptr<TSParser, ParserDeleter>;
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;
using QueryPtr = std::unique_ptr<TSQuery, QueryDeleter>;
using QueryCursorPtr = std::unique_ptr<TSQueryCursor, QueryCursorDeleter>;

// The grammar of a language (static data owned by the grammar object code; never freed).
const TSLanguage* grammarOf(Language) noexcept;

// A parser set to `language`, or null if the grammar's ABI is not supported by the runtime.
ParserPtr makeParser(Language language);

}  // namespace aspm::syntax::detail
