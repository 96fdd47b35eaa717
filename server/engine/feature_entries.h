// What the feature functions share: the findings of one file placed on the buffer (or the disk
// text when the file is not open), and how a finding is named and described. Internal to engine/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/document.h"
#include "engine/location_mapper.h"
#include "engine/report.h"
#include "engine/snapshot.h"
#include "engine/types.h"

namespace aspm::engine {

struct Entry {
  const Report* report = nullptr;
  const model::Finding* finding = nullptr;
  Range range;  // on the buffer when the document is open
  bool wholeLine = false;
};

// Shown in diagnostics: not suppressed or triaged away, and at or above the minimum severity.
// With `commentsOnBuffer`, a suppression comment found on disk does not count: the caller judges
// the open buffer's comments instead.
bool visible(const Snapshot& s, const model::Finding& f, bool commentsOnBuffer = false);
// A range on the buffer when the document is open (mapped through its edits and clamped to its
// text), else the range on disk. nullopt when the mapper says the code is gone.
// `mapping` null: the document's mapping from the text at open.
std::optional<Range> onBuffer(Range r, bool wholeLine, const OpenDocument* doc, const DocumentMapping* mapping = nullptr);
// The mapping that carries a finding onto the buffer: from the saved text when its report was
// written after the last save, else from the text at open.
const DocumentMapping* mappingFor(const OpenDocument* doc, const Report& report, const model::Finding& f);
// The visible findings placed on one workspace-relative path.
std::vector<Entry> collect(const Snapshot& s, std::string_view path);
// Tool names of a finding joined with "+", adding to `seen` (names already listed stay once).
std::string toolsOf(const Report& report, const model::Finding& f, std::vector<std::string>& seen);
// A result's message, falling back to the rule's descriptions and then its id.
std::string messageOf(const Report& report, const model::Result& r);

}  // namespace aspm::engine
