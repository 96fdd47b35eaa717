// Where a finding is in an open editor buffer. Findings are placed on files as they are on disk;
// while a document is being edited, a LocationMapper carries those places through the edits so
// diagnostics stay on their code while the user types.
//
// Findings from a scan of an older commit are first placed on the file as it is on disk by
// mapping/ (libgit2 history + content matching, when the report is built); the mapper here only
// covers the step from disk to the unsaved buffer. ContentMapper is the default; EditShiftMapper
// is kept as the baseline it is measured against.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "engine/document.h"
#include "engine/types.h"

namespace aspm::syntax {
class Document;
}

namespace aspm::engine {

// The immutable mapping state of one document version.
class DocumentMapping {
 public:
  virtual ~DocumentMapping() = default;
  // Maps a range on the file as on disk to the buffer; nullopt when its code is gone. Lines are
  // mapped; columns are left for the caller to clamp against the buffer. `bufferText` is this
  // version's text: the content mapper parses it when it must look for code by its tokens.
  virtual std::optional<Range> map(const Range& onDisk, std::string_view bufferText = {}) const = 0;
};

// The rule both mappers share for ranges: a finding survives while any of its lines does, and then
// spans its surviving lines (starting at column 0 when its first line is gone). `lineOf` maps one
// 0-based line (nullopt: gone); lines after `lastLine` are not asked.
std::optional<Range> mapByLines(const Range& onDisk, const std::function<std::optional<std::uint32_t>(std::uint32_t)>& lineOf,
                                std::uint32_t lastLine);

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

// Compares the buffer with the disk text (a line diff, then content): lines the diff
// leaves unchanged shift exactly; a changed line keeps its finding while most of its text is still
// there (edited in place, joined, split); a line whose text moved elsewhere in the buffer follows
// it when the move is unambiguous; anything else is gone. Because every version is compared with
// the disk text rather than with the previous version, undoing a deletion brings the finding back.
// Each version keeps its comparison, and an edit compares again only a window around the lines it
// touched, bounded by unchanged lines whose text is unique on both sides (where the diff of the
// whole text would split too); without such lines nearby the whole buffer is compared.
class ContentMapper final : public LocationMapper {
 public:
  // `incremental` off compares the whole buffer on every edit: the reference the incremental
  // comparison is tested and measured against.
  explicit ContentMapper(bool incremental = true) : fullComparison_(!incremental) {}
  std::shared_ptr<const DocumentMapping> open(std::string_view path, std::string_view diskText,
                                              std::string_view bufferText) const override;
  std::shared_ptr<const DocumentMapping> edit(const std::shared_ptr<const DocumentMapping>& current,
                                              const Edit& edit) const override;

 private:
  bool fullComparison_ = false;
  // The buffer tree made by the last edit, and the text it was made for: the workspace edits a
  // document's mapping and its saved-text mapping with the same edit, and the second reuses the
  // first's tree instead of reparsing the same text.
  mutable std::mutex lastMu_;
  mutable std::weak_ptr<const syntax::Document> lastTree_;
  mutable const char* lastAfter_ = nullptr;
};

// Shifts lines by the editor's edits (the baseline the content mapper is measured against): lines inserted above a finding move it down, a finding
// whose lines are deleted disappears, and editing within a line keeps the finding on it.
class EditShiftMapper final : public LocationMapper {
 public:
  std::shared_ptr<const DocumentMapping> open(std::string_view path, std::string_view diskText,
                                              std::string_view bufferText) const override;
  std::shared_ptr<const DocumentMapping> edit(const std::shared_ptr<const DocumentMapping>& current,
                                              const Edit& edit) const override;
};

}  // namespace aspm::engine
