// Position arithmetic over UTF-8 text with UTF-16 columns.
#include "engine/document.h"

#include <algorithm>

namespace aspm::engine {

void OpenDocument::setText(std::string newText, std::optional<bool> maySuppressKnown) {
  text = std::move(newText);
  lines = support::LineIndex(text);
  lengths16.resize(lines.lineCount());
  for (std::size_t l = 0; l < lines.lineCount(); ++l)
    lengths16[l] = static_cast<std::uint32_t>(support::utf16Length(support::lineText(text, lines, l)));
  maySuppress = maySuppressKnown ? *maySuppressKnown : mayHaveSuppressionComment(text);
}

void OpenDocument::setEditedText(std::string newText, support::LineIndex newLines, std::vector<std::uint32_t> newLengths16,
                                 bool maySuppressKnown) {
  text = std::move(newText);
  lines = std::move(newLines);
  lengths16 = std::move(newLengths16);
  maySuppress = maySuppressKnown;
}

EditedLines linesAfterEdit(const support::LineIndex& lines, const std::vector<std::uint32_t>& lengths16, std::string_view after,
                           std::size_t startByte, std::size_t endByte, std::size_t insertedSize) {
  EditedLines out{lines.afterEdit(after, startByte, endByte, insertedSize), {}};
  // Lines before the edit's first line are as they were; from the line holding the end of the
  // inserted text on, each line is an old line moved (the one holding the end of the removed
  // bytes, and those after it).
  const std::size_t first = lines.lineOf(startByte);
  const std::size_t lastNew = out.lines.lineOf(startByte + insertedSize);
  const std::size_t lastOld = lines.lineOf(endByte);
  const std::size_t count = out.lines.lineCount();
  out.lengths16.resize(count);
  const std::size_t keep = std::min(first, lengths16.size());
  std::copy(lengths16.begin(), lengths16.begin() + static_cast<std::ptrdiff_t>(keep), out.lengths16.begin());
  for (std::size_t l = keep; l <= lastNew && l < count; ++l)
    out.lengths16[l] = static_cast<std::uint32_t>(support::utf16Length(support::lineText(after, out.lines, l)));
  for (std::size_t l = lastNew + 1; l < count; ++l) {
    const std::size_t o = l - lastNew + lastOld;
    out.lengths16[l] = o < lengths16.size() ? lengths16[o]
                                            : static_cast<std::uint32_t>(support::utf16Length(support::lineText(after, out.lines, l)));
  }
  return out;
}

bool mayHaveSuppressionComment(std::string_view text) {
  // Every marker remediation::suppressedInSource understands starts with one of these.
  static constexpr std::string_view kMarkers[] = {"nosemgrep", "nosec", "eslint-disable", "Flawfinder:", "cppcheck-suppress",
                                                  "NOLINT", "shellcheck disable", "gitleaks:allow", "checkov:skip",
                                                  "trivy:ignore", "tfsec:ignore", "lgtm"};
  for (std::string_view m : kMarkers)
    if (text.find(m) != std::string_view::npos) return true;
  return false;
}

std::size_t byteOffset(std::string_view text, const support::LineIndex& lines, Position pos) {
  if (pos.line >= lines.lineCount()) return text.size();
  const std::size_t start = lines.lineStart(pos.line);
  const std::string_view line = support::lineText(text, lines, pos.line);
  return start + support::byteOffsetOfUtf16Column(line, pos.character);
}

Position positionOf(std::string_view text, const support::LineIndex& lines, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::size_t line = lines.lineOf(offset);
  const std::string_view lt = support::lineText(text, lines, line);
  const std::size_t col = support::utf16ColumnOfByteOffset(lt, offset - lines.lineStart(line));
  return {static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(col)};
}

AppliedChange applyChange(std::string_view text, const support::LineIndex& lines, const TextChange& change) {
  AppliedChange out;
  std::size_t start = 0;
  std::size_t end = text.size();
  std::string_view inserted = change.text;
  if (change.range) {
    start = byteOffset(text, lines, change.range->start);
    end = std::max(start, byteOffset(text, lines, change.range->end));
  } else {
    const ByteDiff d = minimalDiff(text, change.text);
    start = d.start;
    end = d.endBefore;
    inserted = std::string_view(change.text).substr(d.start, d.endAfter - d.start);
  }
  out.text.reserve(text.size() - (end - start) + inserted.size());
  out.text.append(text.substr(0, start));
  out.text.append(inserted);
  out.text.append(text.substr(end));
  out.range = {positionOf(text, lines, start), positionOf(text, lines, end)};
  out.startByte = start;
  out.endByte = end;
  out.inserted.assign(inserted);
  return out;
}

ByteDiff minimalDiff(std::string_view before, std::string_view after) {
  auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  const std::size_t limit = std::min(before.size(), after.size());
  std::size_t prefix = 0;
  while (prefix < limit && before[prefix] == after[prefix]) ++prefix;
  // Cut on UTF-8 sequence boundaries, so positions of the cut are real characters.
  while (prefix > 0 && prefix < before.size() && continuation(before[prefix])) --prefix;
  std::size_t suffix = 0;
  while (suffix < limit - prefix && before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix]) ++suffix;
  while (suffix > 0 && continuation(before[before.size() - suffix])) --suffix;
  return {prefix, before.size() - suffix, after.size() - suffix};
}

}  // namespace aspm::engine
