// The edit shape shared by every remediation feature (suppression comments, manifest upgrades):
// positions are already in LSP terms (0-based lines, UTF-16 columns), so the language server can
// hand them to a client without knowing how they were computed, and the computing code can be
// tested without a server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "support/text.h"

namespace aspm::remediation {

struct TextEdit {
  std::uint32_t startLine = 0;
  std::uint32_t startCharacter = 0;  // UTF-16 code units, like LSP
  std::uint32_t endLine = 0;
  std::uint32_t endCharacter = 0;
  std::string newText;

  friend bool operator==(const TextEdit&, const TextEdit&) = default;
};

// The edit replacing bytes [begin, end) of `text` (offsets on UTF-8 boundaries) by `newText`.
inline TextEdit editForBytes(std::string_view text, const support::LineIndex& index, std::size_t begin, std::size_t end,
                             std::string newText) {
  auto position = [&](std::size_t offset, std::uint32_t& line, std::uint32_t& character) {
    const std::size_t l = index.lineOf(offset);
    const std::size_t start = index.lineStart(l);
    line = static_cast<std::uint32_t>(l);
    character = static_cast<std::uint32_t>(support::utf16Length(text.substr(start, offset - start)));
  };
  TextEdit edit;
  position(begin, edit.startLine, edit.startCharacter);
  position(end, edit.endLine, edit.endCharacter);
  edit.newText = std::move(newText);
  return edit;
}

// A value, or the reason there is none. Remediation offers are optional by nature (the package
// is transitive, the tool reads no comments), and the reason is what the editor shows instead.
template <typename T>
struct Outcome {
  std::optional<T> value;
  std::string error;  // set exactly when !value

  static Outcome success(T v) { return Outcome{std::move(v), {}}; }
  static Outcome failure(std::string why) { return Outcome{std::nullopt, std::move(why)}; }

  explicit operator bool() const noexcept { return value.has_value(); }
  bool has_value() const noexcept { return value.has_value(); }
  const T& operator*() const& { return *value; }
  const T* operator->() const { return &*value; }
};

}  // namespace aspm::remediation
