// Enclosing statement of a position: walk up from the smallest node at the position to the
// first node that is a statement by type or by place, then cut it at its first nested body.
#include "syntax/statement.h"

#include <array>
#include <string_view>

#include "syntax/document_impl.h"

namespace aspm::syntax {
namespace {

// Nodes that hold a sequence of statements or members, across the grammars aspm builds. Their
// children are statements whatever their type is called (C's `declaration`, Python's
// `expression_statement`, Ruby's `call`).
constexpr std::array<std::string_view, 26> kBlocks = {
    "compound_statement", "block",           "statement_block", "translation_unit", "module",
    "program",            "source_file",     "compilation_unit", "declaration_list", "field_declaration_list",
    "class_body",         "interface_body",  "enum_body",        "body_statement",   "do_group",
    "switch_block",       "switch_body",     "then",             "else",             "do_block",
    "preproc_if",         "preproc_ifdef",   "preproc_else",     "preproc_elif",     "begin_block",
    "end_block"};

bool isBlock(TSNode node) {
  if (!ts_node_is_named(node)) return false;
  const std::string_view type = ts_node_type(node);
  for (auto b : kBlocks)
    if (type == b) return true;
  return false;
}

// Statement-like by type: `*_statement`, `*_declaration`, `*_definition` (a function or class
// definition is the unit a scanner's report on its signature belongs to).
bool isStatementType(TSNode node) {
  if (!ts_node_is_named(node) || isBlock(node)) return false;
  const std::string_view type = ts_node_type(node);
  return type.ends_with("_statement") || type.ends_with("_declaration") || type.ends_with("_definition");
}

bool isComment(TSNode node) { return std::string_view(ts_node_type(node)).find("comment") != std::string_view::npos; }

// Byte offset of the position, or nullopt for a blank line or a line past the end.
std::optional<std::uint32_t> anchorByte(const Document::Impl& d, std::uint32_t line, std::optional<std::uint32_t> character) {
  if (line >= d.lines.lineCount()) return std::nullopt;
  const std::string_view text = support::lineText(d.text, d.lines, line);
  const std::size_t start = d.lines.lineStart(line);
  std::size_t offset = std::string_view::npos;
  if (character) {
    const std::size_t at = support::byteOffsetOfUtf16Column(text, *character);
    // A column on blank space or past the text says nothing about the code: use the line's.
    if (at < text.size() && text[at] != ' ' && text[at] != '\t' && text[at] != '\r') offset = at;
  }
  if (offset == std::string_view::npos) offset = text.find_first_not_of(" \t\r\f\v");
  if (offset == std::string_view::npos) return std::nullopt;
  return static_cast<std::uint32_t>(start + offset);
}

}  // namespace

std::optional<StatementSpan> enclosingStatement(const Document& document, std::uint32_t line,
                                                std::optional<std::uint32_t> character) {
  const Document::Impl& d = document.impl();
  if (!d.tree) return std::nullopt;
  const auto byte = anchorByte(d, line, character);
  if (!byte) return std::nullopt;

  TSNode node = ts_node_descendant_for_byte_range(d.root(), *byte, *byte + 1);
  if (ts_node_is_null(node) || isComment(node)) return std::nullopt;
  for (;;) {
    if (ts_node_is_null(node) || isBlock(node) || ts_node_is_error(node) || ts_node_is_missing(node)) return std::nullopt;
    const TSNode parent = ts_node_parent(node);
    if (ts_node_is_named(node) && (isStatementType(node) || (!ts_node_is_null(parent) && isBlock(parent)))) break;
    node = parent;
  }
  if (isComment(node)) return std::nullopt;

  StatementSpan span;
  span.startByte = ts_node_start_byte(node);
  span.endByte = ts_node_end_byte(node);
  const std::uint32_t children = ts_node_child_count(node);
  for (std::uint32_t i = 0; i < children; ++i) {
    const TSNode child = ts_node_child(node, i);
    if (!isBlock(child) && !isStatementType(child)) continue;
    // The walk passed this nested body without stopping in it, so the position lies after it:
    // an `else`, a do-while's condition, a closing keyword. Not part of the head.
    if (ts_node_start_byte(child) <= *byte) return std::nullopt;
    span.endByte = ts_node_start_byte(child);
    break;
  }
  // The head ends at its last non-blank byte (the nested body may start on the next line).
  std::uint32_t last = span.endByte > span.startByte ? span.endByte - 1 : span.startByte;
  while (last > span.startByte && (d.text[last] == ' ' || d.text[last] == '\t' || d.text[last] == '\n' || d.text[last] == '\r'))
    --last;
  span.startLine = static_cast<std::uint32_t>(d.lines.lineOf(span.startByte));
  span.endLine = static_cast<std::uint32_t>(d.lines.lineOf(last));
  if (span.endLine - span.startLine + 1 > kMaxStatementLines) return std::nullopt;
  return span;
}

std::vector<std::optional<StatementSpan>> enclosingStatements(std::string_view path, std::string content,
                                                              std::span<const ReportedPoint> points) {
  std::vector<std::optional<StatementSpan>> out(points.size());
  const auto language = languageForPath(path);
  if (!language) return out;
  const Document document(*language, std::move(content));
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].line == 0) continue;
    out[i] = enclosingStatement(document, points[i].line - 1,
                                points[i].column > 0 ? std::optional<std::uint32_t>(points[i].column - 1) : std::nullopt);
  }
  return out;
}

}  // namespace aspm::syntax
