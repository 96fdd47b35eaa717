// Where a finding is in an open editor buffer. Findings are placed on files as they are on disk;
// while a document is being edited, a LocationMapper carries those places through the edits so
// diagnostics stay on their code while the user types.
//
// This is the seam for the mapping issue: the first implementation (EditShiftMapper) only shifts
// lines by the edits made in the editor; a libgit2 + tree-sitter mapper replaces it behind the
// same interface (it receives the disk text, the buffer and every edit with byte offsets and
// both texts, which is what an incremental reparse needs).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "engine/document.h"
#include "engine/types.h"

namespace aspm::engine {

// The immutable mapping state of one document version.
class DocumentMapping {
 public:
  virtual ~DocumentMapping() = default;
  // Maps a range on the file as on disk to the buffer; nullopt when its code is gone. Lines are
  // mapped; columns are left for the caller to clamp against the buffer.
  virtual std::optional<Range> map(const Range& onDisk) const = 0;
};

class LocationMapper {
 public:
  virtual ~LocationMapper() = default;
  // A document was opened. `diskText` is the file on disk (empty when unknown or new).
  virtual std::shared_ptr<const DocumentMapping> open(std::string_view path, std::string_view diskText,
                                                      std::string_view bufferText) const = 0;
  // The document changed by `edit`; returns the mapping of the new version.
  virtual std::shared_ptr<const DocumentMapping> edit(const std::shared_ptr<const DocumentMapping>& current,
                                                      const Edit& edit) const = 0;
};

// Shifts lines by the editor's edits: lines inserted above a finding move it down, a finding
// whose lines are deleted disappears, and editing within a line keeps the finding on it.
class EditShiftMapper final : public LocationMapper {
 public:
  std::shared_ptr<const DocumentMapping> open(std::string_view path, std::string_view diskText,
                                              std::string_view bufferText) const override;
  std::shared_ptr<const DocumentMapping> edit(const std::shared_ptr<const DocumentMapping>& current,
                                              const Edit& edit) const override;
};

}  // namespace aspm::engine
