// The query files of grammars/queries, compiled into the binary by embed_queries.cmake so that
// aspm-ls needs no data directory at run time. Internal to syntax/.
#pragma once

#include <span>
#include <string_view>

namespace aspm::syntax::detail {

struct EmbeddedQuery {
  std::string_view path;    // repo-relative, e.g. "grammars/queries/python/calls.scm"
  std::string_view source;
};

std::span<const EmbeddedQuery> embeddedQueries();

}  // namespace aspm::syntax::detail
