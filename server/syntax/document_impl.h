// Internal state of a syntax::Document, shared by the syntax/ sources that walk the tree.
#pragma once

#include <string>

#include "support/text.h"
#include "syntax/document.h"
#include "syntax/ts_handles.h"

namespace aspm::syntax {

struct Document::Impl {
  Language language;
  std::string text;
  support::LineIndex lines{""};
  detail::ParserPtr parser;
  detail::TreePtr tree;
  bool overBudget = false;

  TSNode root() const noexcept { return ts_tree_root_node(tree.get()); }
};

}  // namespace aspm::syntax
