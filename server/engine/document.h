// Open documents and the arithmetic of editing them: UTF-16 positions to byte offsets, applying
// incremental changes, and turning a whole-text replacement into the smallest equivalent edit
// (so location mappers see precise edits even from clients that only sync full text).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.h"
#include "support/text.h"

namespace aspm::engine {

class DocumentMapping;

// One edit, described every way a mapper may need it. Positions and offsets refer to `before`.
struct Edit {
  Range range;                 // replaced range (clamped to the text)
  std::size_t startByte = 0;   // the same range as byte offsets
  std::size_t endByte = 0;
  std::string_view newText;    // what replaced it
  std::string_view before;     // the whole text before the edit
  std::string_view after;      // the whole text after the edit
};

struct OpenDocument {
  std::string path;  // workspace-relative key (absolute when outside the workspace)
  std::string text;
  std::int64_t version = 0;
  support::LineIndex lines{std::string_view()};
  // How findings placed on the file as on disk map onto this buffer (null: identity).
  std::shared_ptr<const DocumentMapping> mapping;
  // After a save: how the saved text maps onto this buffer, and when it was saved. Reports
  // written after the save (or in the same file-system clock tick) describe the saved text, so
  // their findings use this mapping.
  std::shared_ptr<const DocumentMapping> savedMapping;
  std::optional<std::filesystem::file_time_type> savedAt;
  // UTF-16 length of every line, computed once per version: ranges are clamped to lines often.
  std::vector<std::uint32_t> lengths16;
  // Whether the text has any scanner's suppression marker at all; when not, the per-finding
  // suppression check is skipped.
  bool maySuppress = false;

  // Sets `text` and everything derived from it (lines, lengths16, maySuppress). `maySuppressKnown`
  // skips the scan for suppression markers when the caller already knows the answer (an edit that
  // added no marker to a text that had none).
  void setText(std::string newText, std::optional<bool> maySuppressKnown = std::nullopt);
  // Sets `text` after edits whose line index and line lengths the caller derived edit by edit
  // (linesAfterEdit), so a keystroke in a large file does not rescan all of it.
  void setEditedText(std::string newText, support::LineIndex newLines, std::vector<std::uint32_t> newLengths16,
                     bool maySuppressKnown);
  // UTF-16 length of a 0-based line (0 past the end).
  std::uint32_t lineLength16(std::uint32_t line) const {
    return line < lengths16.size() ? lengths16[line] : 0;
  }
};

// The line index and UTF-16 line lengths of `after`, from those of the text before one edit
// replaced its bytes [startByte, endByte) with `insertedSize` bytes: only the lines the edit
// touched are measured again. The same as measuring `after` whole (a unit test checks it).
struct EditedLines {
  support::LineIndex lines;
  std::vector<std::uint32_t> lengths16;
};
EditedLines linesAfterEdit(const support::LineIndex& lines, const std::vector<std::uint32_t>& lengths16, std::string_view after,
                           std::size_t startByte, std::size_t endByte, std::size_t insertedSize);

// A quick test for any scanner suppression marker in a text.
bool mayHaveSuppressionComment(std::string_view text);

// Byte offset of a position; a line past the end clamps to the end of the text, a character
// past the end of its line clamps to the line's end (as LSP specifies).
std::size_t byteOffset(std::string_view text, const support::LineIndex& lines, Position pos);

// The position of a byte offset.
Position positionOf(std::string_view text, const support::LineIndex& lines, std::size_t offset);

// The result of applying one change: the new text and where the change fell in the old text.
struct AppliedChange {
  std::string text;
  Range range;                 // replaced range in the old text (clamped)
  std::size_t startByte = 0;   // the same as byte offsets
  std::size_t endByte = 0;
  std::string inserted;
};

// Applies one change. A whole-text replacement is narrowed to the bytes that really changed.
AppliedChange applyChange(std::string_view text, const support::LineIndex& lines, const TextChange& change);

// The smallest edit turning `before` into `after`: common leading and trailing bytes are kept.
// Returns the replaced byte range in `before`; the inserted text is after[start, after.size()-tail).
struct ByteDiff {
  std::size_t start = 0;
  std::size_t endBefore = 0;
  std::size_t endAfter = 0;
};
ByteDiff minimalDiff(std::string_view before, std::string_view after);

}  // namespace aspm::engine
