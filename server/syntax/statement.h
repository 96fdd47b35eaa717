// The statement a source position belongs to, for correlation: two scanners that flag one
// multi-line call (`system(` on one line, its argument five lines below) point into the same
// statement even when their lines are far apart. Grammar-agnostic: a statement is recognised by
// where it sits (a child of a block-like node) or by its node type (`*_statement`), so every
// language aspm parses gets the same rule without per-language tables of statement kinds.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/document.h"

namespace aspm::syntax {

// The head of a statement: from its first byte to the start of its first nested statement or
// block (so an `if` header, a function signature, or a whole simple statement such as a
// multi-line call). Lines are 0-based and inclusive.
struct StatementSpan {
  std::uint32_t startByte = 0;
  std::uint32_t endByte = 0;
  std::uint32_t startLine = 0;
  std::uint32_t endLine = 0;
};

// Statement heads longer than this many lines are not reported: a generated table or a huge
// initialiser would otherwise make distant reports look like one.
inline constexpr std::uint32_t kMaxStatementLines = 50;

// The head of the smallest statement containing `position` (0-based line; UTF-16 character, or
// the first non-blank character of the line when `character` is empty). Empty when the document
// has no tree, the position is blank, in a comment, in an ERROR node, on a block's own
// punctuation, after a statement's nested body (`else`, a closing `while (...)`), or the head is
// longer than kMaxStatementLines.
std::optional<StatementSpan> enclosingStatement(const Document& document, std::uint32_t line,
                                                std::optional<std::uint32_t> character = std::nullopt);

// A reported position as scanners give it: 1-based line, 1-based UTF-16 column (0: none).
struct ReportedPoint {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// The statement head of each point in `content`, parsed once with the language of `path`; all
// empty when the path's language is not one aspm parses.
std::vector<std::optional<StatementSpan>> enclosingStatements(std::string_view path, std::string content,
                                                              std::span<const ReportedPoint> points);

}  // namespace aspm::syntax
