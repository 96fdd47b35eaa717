// Document: text + tree kept in step. Edits are translated from LSP's UTF-16 positions into
// tree-sitter's byte offsets and byte-column points before the tree is told about them.
#include "syntax/document.h"

#include <algorithm>

#include "syntax/document_impl.h"

namespace aspm::syntax {
namespace {

TSPoint pointOf(const support::LineIndex& lines, std::size_t offset) {
  const std::size_t row = lines.lineOf(offset);
  return TSPoint{static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(offset - lines.lineStart(row))};
}

// Point at the end of `inserted` when it starts at `start`.
TSPoint pointAfter(TSPoint start, std::string_view inserted) {
  const auto lastNewline = inserted.rfind('\n');
  if (lastNewline == std::string_view::npos)
    return TSPoint{start.row, start.column + static_cast<std::uint32_t>(inserted.size())};
  const auto rows = static_cast<std::uint32_t>(std::count(inserted.begin(), inserted.end(), '\n'));
  return TSPoint{start.row + rows, static_cast<std::uint32_t>(inserted.size() - lastNewline - 1)};
}

void parse(Document::Impl& d, bool incremental) {
  if (!d.parser || d.text.size() > Document::kMaxParseBytes) {
    d.tree.reset();
    return;
  }
  TSTree* old = incremental ? d.tree.get() : nullptr;
  detail::TreePtr fresh(ts_parser_parse_string(d.parser.get(), old, d.text.data(),
                                               static_cast<std::uint32_t>(d.text.size())));
  d.tree = std::move(fresh);
}

}  // namespace

Document::Document(Language language, std::string text) : impl_(std::make_unique<Impl>()) {
  impl_->language = language;
  impl_->text = std::move(text);
  impl_->lines = support::LineIndex(impl_->text);
  impl_->parser = detail::makeParser(language);
  parse(*impl_, false);
}

Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

std::size_t Document::offsetOf(Position position) const noexcept {
  const auto& d = *impl_;
  if (position.line >= d.lines.lineCount()) return d.text.size();
  const std::string_view line = support::lineText(d.text, d.lines, position.line);
  return d.lines.lineStart(position.line) + support::byteOffsetOfUtf16Column(line, position.character);
}

void Document::apply(std::span<const TextChange> changes) {
  auto& d = *impl_;
  bool incremental = d.tree != nullptr;
  for (const auto& change : changes) {
    if (!change.range) {
      d.text = change.text;
      d.lines = support::LineIndex(d.text);
      incremental = false;
      continue;
    }
    std::size_t start = offsetOf(change.range->start);
    std::size_t end = offsetOf(change.range->end);
    if (end < start) std::swap(start, end);
    TSInputEdit edit{};
    edit.start_byte = static_cast<std::uint32_t>(start);
    edit.old_end_byte = static_cast<std::uint32_t>(end);
    edit.new_end_byte = static_cast<std::uint32_t>(start + change.text.size());
    edit.start_point = pointOf(d.lines, start);
    edit.old_end_point = pointOf(d.lines, end);
    edit.new_end_point = pointAfter(edit.start_point, change.text);
    d.text.replace(start, end - start, change.text);
    d.lines = support::LineIndex(d.text);
    if (incremental && d.tree) ts_tree_edit(d.tree.get(), &edit);
  }
  parse(d, incremental);
}

Language Document::language() const noexcept { return impl_->language; }
const std::string& Document::text() const noexcept { return impl_->text; }
bool Document::hasTree() const noexcept { return impl_->tree != nullptr; }
bool Document::hasErrors() const noexcept { return impl_->tree && ts_node_has_error(impl_->root()); }

std::uint32_t Document::lineCount() const noexcept {
  return static_cast<std::uint32_t>(impl_->lines.lineCount());
}

std::string_view Document::line(std::uint32_t line) const noexcept {
  if (line >= impl_->lines.lineCount()) return {};
  return support::lineText(impl_->text, impl_->lines, line);
}

}  // namespace aspm::syntax
