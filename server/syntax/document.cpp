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

struct StringInput {
  const std::string* text;
  static const char* read(void* payload, std::uint32_t byte, TSPoint, std::uint32_t* bytesRead) {
    const auto& t = *static_cast<StringInput*>(payload)->text;
    if (byte >= t.size()) {
      *bytesRead = 0;
      return "";
    }
    *bytesRead = static_cast<std::uint32_t>(t.size() - byte);
    return t.data() + byte;
  }
};

bool pastDeadline(TSParseState* state) {
  return std::chrono::steady_clock::now() > *static_cast<const std::chrono::steady_clock::time_point*>(state->payload);
}

void parse(Document::Impl& d, bool incremental, std::optional<std::chrono::microseconds> budget = std::nullopt) {
  d.overBudget = false;
  if (!d.parser || d.text.size() > Document::kMaxParseBytes) {
    d.tree.reset();
    return;
  }
  TSTree* old = incremental ? d.tree.get() : nullptr;
  if (!budget) {
    d.tree.reset(ts_parser_parse_string(d.parser.get(), old, d.text.data(), static_cast<std::uint32_t>(d.text.size())));
    return;
  }
  StringInput input{&d.text};
  auto deadline = std::chrono::steady_clock::now() + *budget;
  TSParseOptions options{&deadline, &pastDeadline};
  detail::TreePtr fresh(
      ts_parser_parse_with_options(d.parser.get(), old, TSInput{&input, &StringInput::read, TSInputEncodingUTF8, nullptr}, options));
  if (!fresh) {
    // Given up: the parser must start afresh next time, and the old tree no longer matches the text.
    ts_parser_reset(d.parser.get());
    d.overBudget = true;
  }
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

Document::Document(Language language, std::string text, std::chrono::microseconds budget) : impl_(std::make_unique<Impl>()) {
  impl_->language = language;
  impl_->text = std::move(text);
  impl_->lines = support::LineIndex(impl_->text);
  impl_->parser = detail::makeParser(language);
  parse(*impl_, false, budget);
}

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

bool Document::overBudget() const noexcept { return impl_->overBudget; }

Document Document::edited(std::size_t startByte, std::size_t endByte, std::string_view newText,
                          std::optional<std::chrono::microseconds> budget) const {
  const auto& d = *impl_;
  startByte = std::min(startByte, d.text.size());
  endByte = std::clamp(endByte, startByte, d.text.size());
  auto next = std::make_unique<Impl>();
  next->language = d.language;
  next->text.reserve(d.text.size() - (endByte - startByte) + newText.size());
  next->text.append(d.text, 0, startByte);
  next->text.append(newText);
  next->text.append(d.text, endByte);
  next->lines = d.lines.afterEdit(next->text, startByte, endByte, newText.size());
  next->parser = detail::makeParser(d.language);
  if (d.tree && next->parser && next->text.size() <= kMaxParseBytes) {
    TSInputEdit edit{};
    edit.start_byte = static_cast<std::uint32_t>(startByte);
    edit.old_end_byte = static_cast<std::uint32_t>(endByte);
    edit.new_end_byte = static_cast<std::uint32_t>(startByte + newText.size());
    edit.start_point = pointOf(d.lines, startByte);
    edit.old_end_point = pointOf(d.lines, endByte);
    edit.new_end_point = pointAfter(edit.start_point, newText);
    next->tree.reset(ts_tree_copy(d.tree.get()));  // shares the nodes; editing it leaves ours alone
    ts_tree_edit(next->tree.get(), &edit);
    parse(*next, true, budget);
  } else {
    parse(*next, false, budget);
  }
  return Document(std::move(next));
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
    d.lines = d.lines.afterEdit(d.text, start, end, change.text.size());
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
