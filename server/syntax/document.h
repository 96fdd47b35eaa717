// A parsed source file that follows editor changes. Each batch of LSP-style changes edits the
// old tree (TSInputEdit) and reparses incrementally, so a keystroke in a 20k-line file costs a
// reparse of the touched subtrees rather than of the file.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "syntax/language.h"

namespace aspm::syntax {

// 0-based line and UTF-16 character, as in LSP.
struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

struct Range {
  Position start;
  Position end;
};

// One entry of didChange's contentChanges: a range replacement, or the whole text when no range.
struct TextChange {
  std::optional<Range> range;
  std::string text;
};

class Document {
 public:
  // Files larger than this are kept as text but not parsed: every syntax feature then degrades
  // to "no tree" instead of spending seconds on generated or minified code.
  static constexpr std::size_t kMaxParseBytes = 16u << 20;

  Document(Language language, std::string text);
  // The same, giving up when parsing takes longer than `budget` (the document then has no tree
  // and overBudget() says why): for callers on an editor's keystroke path, where a file whose
  // every edit reparses slowly (code that is mostly syntax errors) must not stall typing.
  Document(Language language, std::string text, std::chrono::microseconds budget);
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // Apply changes in order (each range is relative to the text after the previous change), then
  // reparse once. Out-of-range positions are clamped to the text, as editors expect.
  void apply(std::span<const TextChange> changes);
  // A copy with the bytes [startByte, endByte) replaced by `newText` (clamped to the text), its
  // tree edited and reparsed incrementally; the tree's untouched subtrees are shared with this
  // document, which is left as it is. This is how each editor version keeps a tree of its own.
  Document edited(std::size_t startByte, std::size_t endByte, std::string_view newText,
                  std::optional<std::chrono::microseconds> budget = std::nullopt) const;
  // Whether the last parse was given up for taking longer than its budget.
  bool overBudget() const noexcept;

  Language language() const noexcept;
  const std::string& text() const noexcept;
  bool hasTree() const noexcept;
  // True when the tree contains syntax errors (the anchors still work on the error-tolerant tree).
  bool hasErrors() const noexcept;
  std::uint32_t lineCount() const noexcept;
  // Text of a 0-based line without its terminator; empty past the end.
  std::string_view line(std::uint32_t line) const noexcept;
  // Byte offset of an LSP position (clamped).
  std::size_t offsetOf(Position position) const noexcept;

  struct Impl;
  const Impl& impl() const noexcept { return *impl_; }

 private:
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace aspm::syntax
