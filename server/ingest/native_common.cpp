// Problem log, run/rule building and location resolution shared by the native adapters (see
// native_common.h).
#include "ingest/native_common.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <utility>

#include "support/file.h"
#include "support/text.h"
#include "support/uri.h"

namespace aspm::ingest::native {
namespace {

// Files larger than this are not read for column conversion: a generated file of that size is
// not worth the memory, and ASCII columns are exact anyway.
constexpr std::uintmax_t kMaxSourceBytes = 16U << 20;

bool isWindowsDrivePath(std::string_view p) noexcept {
  return p.size() >= 3 && std::isalpha(static_cast<unsigned char>(p[0])) != 0 && p[1] == ':' &&
         (p[2] == '/' || p[2] == '\\');
}

// Native reports name files by path; the resolver takes URI references.
std::string pathToUriReference(std::string_view path) {
  if (support::hasScheme(path) && !isWindowsDrivePath(path)) return std::string(path);
  const std::string normalized = support::normalizePath(path);
  if (!normalized.empty() && (normalized[0] == '/' || isWindowsDrivePath(normalized))) {
    return support::pathToFileUri(normalized);
  }
  return support::percentEncodePath(normalized);
}

// Length in bytes of the UTF-8 sequence starting at `s[i]` (1 for an invalid byte).
std::size_t sequenceAt(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 1;
  if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else if (c >= 0xE0) {
    n = 3;
  } else if (c >= 0xC2 && c < 0xE0) {
    n = 2;
  }
  if (i + n > s.size()) return 1;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

// Byte offset of 0-based position `pos` counted in `unit`; positions past the end of the line
// extend it with one byte per position, so a column just past the last character stays exact.
std::size_t byteOffset(std::string_view line, std::size_t pos, ColumnUnit unit) noexcept {
  if (unit == ColumnUnit::Utf8Bytes) return pos;
  std::size_t i = 0;
  std::size_t n = 0;
  while (i < line.size() && n < pos) {
    const std::size_t width = (unit == ColumnUnit::TabStops8 && line[i] == '\t') ? 8 - n % 8 : 1;
    if (n + width > pos) break;  // inside a tab's span: the tab itself
    i += sequenceAt(line, i);
    n += width;
  }
  if (i < line.size()) return i;
  return i + (pos - n);
}

std::size_t utf16Of(std::string_view line, std::size_t byte) noexcept {
  if (byte <= line.size()) return support::utf16ColumnOfByteOffset(line, byte);
  return support::utf16Length(line) + (byte - line.size());
}

std::uint32_t clampColumn(std::size_t c) noexcept {
  return static_cast<std::uint32_t>(std::min<std::size_t>(c, 0xFFFFFFFFU));
}

}  // namespace

// ---------------------------------------------------------------------------------------------

ProblemLog::ProblemLog(std::string file, support::Problems& out, std::size_t perKindLimit)
    : file_(std::move(file)), out_(out), limit_(perKindLimit) {}

void ProblemLog::add(support::ProblemSeverity severity, std::string path, std::string message, std::string_view kind) {
  const std::string key = kind.empty() ? message : std::string(kind);
  Count& c = counts_[key];
  ++c.seen;
  if (c.seen == 1) {
    c.severity = severity;
    c.message = message;
  }
  if (c.seen <= limit_ || severity == support::ProblemSeverity::Fatal) {
    out_.push_back({file_, std::move(path), std::move(message), severity});
  }
}

void ProblemLog::finish() {
  for (const auto& [kind, c] : counts_) {
    if (c.seen <= limit_) continue;
    out_.push_back({file_, "",
                    std::to_string(c.seen - limit_) + " more problems like \"" + c.message + "\" were not listed",
                    c.severity});
  }
  counts_.clear();
}

bool ProblemLog::cancelled(const IngestOptions& options, const std::string& path) {
  if (options.cancel == nullptr || !options.cancel->load(std::memory_order_relaxed)) return false;
  if (!cancelReported_) {
    cancelReported_ = true;
    error(path, "reading was cancelled here; the rest of the report was not read");
  }
  return true;
}

// ---------------------------------------------------------------------------------------------

RunBuilder::RunBuilder(model::ScanSet& scans, const std::string& displayPath, std::string format, std::string toolName)
    : scans_(scans), displayPath_(displayPath) {
  model::Run run;
  run.tool.name = std::move(toolName);
  run.file = displayPath;
  run.index = 0;
  run.kind = model::FindingKind::Sast;
  run.format = std::move(format);
  scans_.runs.push_back(std::move(run));
}

model::Result RunBuilder::newResult(std::uint32_t entryIndex) const {
  model::Result r;
  r.run = 0;
  r.source.file = displayPath_;
  r.source.run = 0;
  r.source.result = entryIndex;
  return r;
}

// ---------------------------------------------------------------------------------------------

struct LocationBuilder::Source {
  std::string text;
  support::LineIndex index{std::string_view()};

  // The text of 1-based `line`, or nullopt when the file has no such line.
  std::optional<std::string_view> line(std::uint32_t number) const {
    if (number == 0 || number > index.lineCount()) return std::nullopt;
    return support::lineText(text, index, number - 1);
  }
};

LocationBuilder::LocationBuilder(const IngestOptions& options, ProblemLog& log) : options_(options), log_(log) {}
LocationBuilder::~LocationBuilder() = default;

model::Location LocationBuilder::locate(std::string_view reported, const std::string& problemPath) {
  std::string key(reported);
  if (auto it = resolved_.find(key); it != resolved_.end()) return it->second;
  model::Location loc;
  if (key.empty()) {
    // Resolving "" would name the workspace root itself.
    log_.warning(problemPath, "empty file path; the location is kept unplaced", "empty-path");
  } else if (options_.resolver == nullptr) {
    loc.uri = key;
  } else {
    PathResolver::Resolved r = options_.resolver->resolve(pathToUriReference(reported));
    loc.uri = r.path;
    loc.resolved = r.inside;
    if (!r.inside) {
      log_.warning(problemPath, "\"" + key + "\" is outside the workspace " + options_.resolver->root(),
                   "outside-workspace");
    }
  }
  resolved_.emplace(std::move(key), loc);
  return loc;
}

const LocationBuilder::Source* LocationBuilder::source(const model::Location& loc) {
  if (!loc.resolved || options_.resolver == nullptr || options_.resolver->root().empty()) return nullptr;
  auto it = sources_.find(loc.uri);
  if (it == sources_.end()) {
    std::unique_ptr<Source> src;
    const std::filesystem::path file = std::filesystem::path(options_.resolver->root()) / loc.uri;
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (!ec && size <= kMaxSourceBytes) {
      if (auto text = support::readFile(file.string())) {
        src = std::make_unique<Source>();
        src->text = std::move(*text);
        src->index = support::LineIndex(src->text);
      }
    }
    it = sources_.emplace(loc.uri, std::move(src)).first;
  }
  return it->second.get();
}

std::uint32_t LocationBuilder::column(const model::Location& loc, std::uint32_t line, std::uint32_t column,
                                      ColumnUnit unit) {
  if (column == 0) return 0;
  const Source* src = source(loc);
  if (src == nullptr) return column;
  auto text = src->line(line);
  if (!text) return column;
  return clampColumn(utf16Of(*text, byteOffset(*text, column - 1, unit)) + 1);
}

std::uint32_t LocationBuilder::columnAfter(const model::Location& loc, std::uint32_t line, std::uint32_t column,
                                           ColumnUnit unit) {
  if (column == 0) return 0;
  const Source* src = source(loc);
  std::optional<std::string_view> text;
  if (src != nullptr) text = src->line(line);
  if (!text) return column == 0xFFFFFFFFU ? column : column + 1;
  std::size_t byte = byteOffset(*text, column - 1, unit);
  byte += byte < text->size() ? sequenceAt(*text, byte) : 1;
  return clampColumn(utf16Of(*text, byte) + 1);
}

// ---------------------------------------------------------------------------------------------

std::string cweId(std::int64_t number) {
  if (number <= 0) return {};
  return "CWE-" + std::to_string(number);
}

std::string cweIdFromText(std::string_view text) {
  text = support::trim(text);
  const std::string lower = asciiLower(text.substr(0, 4));
  if (lower == "cwe-" || lower == "cwe_" || lower == "cwe:") text.remove_prefix(4);
  if (text.empty() || text.size() > 9) return {};
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return {};
    n = n * 10 + (c - '0');
  }
  return cweId(n);
}

void addCwe(model::Rule& rule, const std::string& cwe) {
  if (cwe.empty()) return;
  if (std::find(rule.cwes.begin(), rule.cwes.end(), cwe) == rule.cwes.end()) rule.cwes.push_back(cwe);
}

std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace aspm::ingest::native
