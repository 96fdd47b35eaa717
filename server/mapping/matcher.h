// The multi-pass matcher: places each scanned region in the current code, or says why it cannot.
//
// Passes, cheapest and most certain first; a line placed by one pass is claimed and no later pass
// can give it to another region:
//   1. exact shift      the region lies in text the line diff left unchanged;
//   2. fingerprint      the report's primaryLocationLineHash (only when the scanned content is
//                       unknown, e.g. the scanned commit is missing), or its snippet;
//   3. line + content   same file, same (shifted) line, same whitespace-free text;
//   4. content          the same whitespace-free text anywhere in the traced or changed files;
//   5. block move       candidates are scored by how many neighbouring lines moved with them;
//   6. syntax anchor    the region's tokens (comments, whitespace and line breaks ignored) as
//                       whole lines, preferring the same enclosing declaration;
//   7. assignment       competing regions and candidates are paired by maximum total evidence.
// A region with no candidate is gone; one whose best candidates tie, or whose only evidence is
// weak, is stale (location null) rather than guessed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gitmap/line_map.h"
#include "model/finding.h"

namespace aspm::mapping {

enum class Pass : std::uint8_t { None, ExactShift, Fingerprint, LineAndContent, Content, BlockMove, Anchor };
const char* toString(Pass) noexcept;

// One region to place. Findings on the same region share one site.
struct Site {
  std::string scanPath;
  std::uint32_t startLine = 0;  // 1-based, inclusive
  std::uint32_t endLine = 0;
  std::uint32_t startColumn = 0;  // 1-based, 0 = not given
  std::uint32_t endColumn = 0;
  std::string lineHash;  // partialFingerprints.primaryLocationLineHash, "" when not given
  std::string snippet;   // region.snippet.text, "" when not given
};

struct Placement {
  model::FindingState state = model::FindingState::Stale;
  Pass pass = Pass::None;
  std::string path;  // empty unless placed
  std::uint32_t startLine = 0;
  std::uint32_t endLine = 0;
  std::uint32_t startColumn = 0;
  std::uint32_t endColumn = 0;
  std::string note;  // why stale or gone; how it was placed when the scan revision was unusable
  bool placed() const noexcept { return !path.empty(); }
};

// One scanned file: its content at the scan, where it is now, and the exact line map between.
struct FileVersions {
  std::optional<std::string> scanContent;
  std::string path;  // current path, "" when the file is gone
  std::optional<std::string> content;
  std::optional<gitmap::LineMap> lines;
};

struct MatchInput {
  std::map<std::string, FileVersions> files;  // by scan path
  // Other files where moved code may have gone (current paths), and how to read them.
  std::vector<std::string> candidatePaths;
  std::function<std::optional<std::string>(const std::string&)> readCandidate;
  // Set when the scanned revision could not be used; repeated in notes of content placements.
  std::string revisionNote;
};

struct MatchOptions {
  std::uint32_t contextWindow = 4;        // neighbouring lines compared on each side
  std::size_t maxCandidatesPerSite = 256;  // identical unclaimed lines beyond this are not scored
  std::size_t maxAnchorFiles = 32;        // files parsed for one region's anchor search
  bool useAnchors = true;
  // Threads that parse files for anchors and scopes (parsing is most of a large remap's cost);
  // 0: as many as the machine has, at most 4. The placements do not depend on it.
  unsigned threads = 0;
};

// Placements in the order of `sites`.
std::vector<Placement> match(const std::vector<Site>& sites, const MatchInput& input, const MatchOptions& options = {});

// Whitespace-free hash of a line, as used by the content passes (0 for a blank line).
std::uint64_t normalizedLineHash(std::string_view line) noexcept;

// The column in `newLine` of the character at `oldColumn` (1-based) in `oldLine`, counting only
// non-whitespace characters, so reformatting keeps a column on the same token.
std::uint32_t shiftColumn(std::string_view oldLine, std::string_view newLine, std::uint32_t oldColumn) noexcept;

}  // namespace aspm::mapping
