// The ingest entry points: format detection from content, streaming of SARIF files, dispatch
// of native reports to their adapters, and the small helpers every adapter shares.
#include "ingest/ingest.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <new>
#include <optional>

#include <boost/json/basic_parser_impl.hpp>

#include "ingest/native.h"
#include "ingest/sarif_reader.h"
#include "support/file.h"

namespace aspm::ingest {
namespace json = boost::json;
using support::ProblemSeverity;

namespace {

constexpr std::size_t kDetectBytes = 64 * 1024;
constexpr std::size_t kChunkBytes = 1 << 20;
constexpr std::uint64_t kProgressStep = 4ULL << 20;

bool containsNoCase(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

bool looksLikeSarifVersion(std::string_view v) {
  return v == "2.1.0" || v.starts_with("2.1.0-") || v == "2.0.0" || v.starts_with("2.0.0-") || v == "1.0.0";
}

// SAX handler that collects the evidence detectFormat needs from a JSON prefix.
struct DetectHandler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  int depth = 0;
  bool rootObject = false;
  bool rootArray = false;
  std::string key;   // key being assembled
  std::string key1;  // last key at depth 1
  std::string text;  // string value being assembled at depth 1
  bool inBanditResults = false;
  bool sarif = false;
  bool sarifVersion = false;
  bool bandit = false;
  bool generatedAt = false;
  bool metrics = false;
  bool shellcheck = false;
  bool gccKind = false;
  bool gccLocations = false;
  bool gcc = false;

  bool decided() const noexcept { return sarif || bandit || gcc; }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    ++depth;
    if (depth == 1) rootObject = true;
    if (depth == 2 && rootArray) gccKind = gccLocations = false;
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    --depth;
    return !decided();
  }
  bool on_array_begin(json::error_code&) {
    ++depth;
    if (depth == 1) rootArray = true;
    if (depth == 2 && rootObject) {
      inBanditResults = key1 == "results";
      if (key1 == "comments") shellcheck = true;
    }
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    if (depth == 2) inBanditResults = false;
    --depth;
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (key.size() < 256) key.append(s.data(), std::min<std::size_t>(s.size(), 256));
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (key.size() < 256) key.append(s.data(), std::min<std::size_t>(s.size(), 256));
    keyDone();
    return !decided();
  }
  void keyDone() {
    if (depth == 1 && rootObject) {
      key1 = key;
      if (key == "runs") sarif = true;
      else if (key == "generated_at") generatedAt = true;
      else if (key == "metrics") metrics = true;
      if (generatedAt && metrics) bandit = true;
    } else if (depth == 3 && inBanditResults && key == "test_id") {
      bandit = true;
    } else if (depth == 2 && rootArray) {
      if (key == "kind") gccKind = true;
      else if (key == "locations") gccLocations = true;
      if (gccKind && gccLocations) gcc = true;
    }
    key.clear();
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    if (depth == 1 && text.size() < 512) text.append(s.data(), std::min<std::size_t>(s.size(), 512));
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    on_string_part(s, 0, ec);
    if (depth == 1 && rootObject) {
      if (key1 == "$schema" && containsNoCase(text, "sarif")) sarif = true;
      if (key1 == "version" && looksLikeSarifVersion(text)) sarifVersion = true;
    }
    text.clear();
    return !decided();
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

support::WithProblems<model::ScanSet> fatal(const std::string& file, std::string message) {
  support::WithProblems<model::ScanSet> out;
  out.problems.push_back({file, "", std::move(message), ProblemSeverity::Fatal});
  return out;
}

std::string unknownFormatMessage(std::string_view head) {
  if (head.size() >= 2 && (head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF"))
    return "the report is UTF-16 encoded; re-encode it as UTF-8";
  return "not a recognised report: expected SARIF 2.1.0, bandit JSON, cppcheck XML, shellcheck json1 or gcc JSON";
}

support::WithProblems<model::ScanSet> dispatchNative(Format f, std::string_view bytes, const std::string& file,
                                                     const IngestOptions& options) {
  switch (f) {
    case Format::Bandit: return native::readBandit(bytes, file, options);
    case Format::Cppcheck: return native::readCppcheck(bytes, file, options);
    case Format::ShellCheck: return native::readShellCheck(bytes, file, options);
    case Format::Gcc: return native::readGcc(bytes, file, options);
    default: return fatal(file, unknownFormatMessage(bytes));
  }
}

// Feeds a SarifStream and reports progress and cancellation on the way.
class SarifFeeder {
 public:
  SarifFeeder(const std::string& file, const IngestOptions& options, PathResolver& resolver, std::uint64_t total)
      : options_(options), stream_(file, resolver, total, options.convertInParallel), total_(total) {}

  // False to stop reading.
  bool feed(std::string_view bytes) {
    if (options_.cancel && options_.cancel->load(std::memory_order_relaxed)) {
      stream_.abandon("loading was cancelled");
      return false;
    }
    while (!bytes.empty()) {
      const std::string_view part = bytes.substr(0, kChunkBytes);
      bytes.remove_prefix(part.size());
      read_ += part.size();
      if (!stream_.write(part)) return false;
      if (options_.progress && read_ - lastProgress_ >= kProgressStep) {
        lastProgress_ = read_;
        options_.progress(read_, total_);
      }
      if (!bytes.empty() && options_.cancel && options_.cancel->load(std::memory_order_relaxed)) {
        stream_.abandon("loading was cancelled");
        return false;
      }
    }
    return true;
  }

  support::WithProblems<model::ScanSet> finish() {
    auto out = stream_.finish();
    if (options_.progress) options_.progress(read_, total_);
    return out;
  }

 private:
  const IngestOptions& options_;
  sarif::SarifStream stream_;
  std::uint64_t total_;
  std::uint64_t read_ = 0;
  std::uint64_t lastProgress_ = 0;
};

std::string sizeText(std::uint64_t bytes) {
  if (bytes >= (1ULL << 20)) return std::to_string(bytes >> 20) + " MB";
  return std::to_string(bytes) + " bytes";
}

support::WithProblems<model::ScanSet> ingestFileImpl(const std::string& path, const IngestOptions& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fatal(path, "cannot open the file");
  if (S_ISDIR(st.st_mode)) return fatal(path, "is a directory, not a report");
  const auto total = static_cast<std::uint64_t>(st.st_size);
  if (total > options.maxFileBytes)
    return fatal(path, "the file is " + sizeText(total) + ", over the limit of " + sizeText(options.maxFileBytes));

  PathResolver fallback("");
  PathResolver& resolver = options.resolver ? *options.resolver : fallback;

  std::string head;  // bytes read before the format was known
  Format format = Format::Unknown;
  bool decided = false;
  std::optional<SarifFeeder> feeder;
  std::string whole;  // native reports are read whole
  std::uint64_t seen = 0;
  bool overLimit = false;

  auto decide = [&]() {
    decided = true;
    format = detectFormat(head);
    if (format == Format::Sarif) {
      feeder.emplace(path, options, resolver, total);
      const bool more = feeder->feed(head);
      head.clear();
      head.shrink_to_fit();
      return more;
    }
    if (format == Format::Unknown) return false;
    whole = std::move(head);
    return true;
  };

  const auto err = support::readFileChunks(path, kChunkBytes, [&](std::string_view chunk) {
    seen += chunk.size();
    if (seen > options.maxFileBytes) {
      overLimit = true;
      return false;
    }
    if (!decided) {
      head.append(chunk);
      if (head.size() < kDetectBytes) return true;
      return decide();
    }
    if (feeder) return feeder->feed(chunk);
    whole.append(chunk);
    return true;
  });
  if (err && !decided) return fatal(path, *err);
  if (!decided && !overLimit) {
    if (head.empty()) return fatal(path, "the file is empty");
    decide();
  }
  if (format == Format::Unknown) return fatal(path, unknownFormatMessage(head.empty() ? whole : head));

  support::WithProblems<model::ScanSet> out;
  if (feeder) {
    out = feeder->finish();
  } else {
    if (overLimit) return fatal(path, "the file grew past the limit of " + sizeText(options.maxFileBytes));
    out = dispatchNative(format, whole, path, options);
  }
  if (err) out.problems.push_back({path, "", "reading stopped early: " + *err, ProblemSeverity::Error});
  if (overLimit)
    out.problems.push_back({path, "", "the file grew past the limit of " + sizeText(options.maxFileBytes) +
                                          " while it was read; the rest was ignored",
                            ProblemSeverity::Error});
  return out;
}

support::WithProblems<model::ScanSet> ingestBytesImpl(std::string_view bytes, const std::string& displayPath,
                                                      const IngestOptions& options) {
  if (bytes.size() > options.maxFileBytes)
    return fatal(displayPath,
                 "the input is " + sizeText(bytes.size()) + ", over the limit of " + sizeText(options.maxFileBytes));
  if (bytes.empty()) return fatal(displayPath, "the file is empty");
  const Format format = detectFormat(bytes.substr(0, kDetectBytes));
  if (format == Format::Unknown) return fatal(displayPath, unknownFormatMessage(bytes));
  if (format != Format::Sarif) return dispatchNative(format, bytes, displayPath, options);
  PathResolver fallback("");
  SarifFeeder feeder(displayPath, options, options.resolver ? *options.resolver : fallback, bytes.size());
  feeder.feed(bytes);
  return feeder.finish();
}

}  // namespace

const char* toString(Format f) noexcept {
  switch (f) {
    case Format::Unknown: return "unknown";
    case Format::Sarif: return "sarif";
    case Format::Bandit: return "bandit";
    case Format::Cppcheck: return "cppcheck";
    case Format::ShellCheck: return "shellcheck";
    case Format::Gcc: return "gcc";
  }
  return "unknown";
}

Format detectFormat(std::string_view head) noexcept {
  try {
    head = head.substr(0, kDetectBytes);
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    while (!head.empty() && (head[0] == ' ' || head[0] == '\n' || head[0] == '\r' || head[0] == '\t'))
      head.remove_prefix(1);
    if (head.empty()) return Format::Unknown;
    if (head[0] == '<') {
      return head.find("<results") != std::string_view::npos && head.find("<cppcheck") != std::string_view::npos
                 ? Format::Cppcheck
                 : Format::Unknown;
    }
    if (head[0] != '{' && head[0] != '[') return Format::Unknown;
    json::parse_options opt;
    opt.allow_invalid_utf8 = true;
    opt.max_depth = 64;
    json::basic_parser<DetectHandler> p(opt);
    json::error_code ec;
    p.write_some(true, head.data(), head.size(), ec);
    const DetectHandler& h = p.handler();
    if (h.sarif) return Format::Sarif;
    if (h.bandit) return Format::Bandit;
    if (h.gcc) return Format::Gcc;
    if (h.shellcheck) return Format::ShellCheck;
    if (h.sarifVersion) return Format::Sarif;
    return Format::Unknown;
  } catch (...) {
    return Format::Unknown;
  }
}

support::WithProblems<model::ScanSet> ingestFile(const std::string& path, const IngestOptions& options) {
  try {
    return ingestFileImpl(path, options);
  } catch (const std::bad_alloc&) {
    return fatal(path, "out of memory while reading the report");
  } catch (const std::exception& e) {
    return fatal(path, std::string("internal error while reading the report: ") + e.what());
  }
}

support::WithProblems<model::ScanSet> ingestBytes(std::string_view bytes, const std::string& displayPath,
                                                  const IngestOptions& options) {
  try {
    return ingestBytesImpl(bytes, displayPath, options);
  } catch (const std::bad_alloc&) {
    return fatal(displayPath, "out of memory while reading the report");
  } catch (const std::exception& e) {
    return fatal(displayPath, std::string("internal error while reading the report: ") + e.what());
  }
}

void append(model::ScanSet& into, model::ScanSet&& more) {
  const auto base = static_cast<std::uint32_t>(into.runs.size());
  into.runs.reserve(into.runs.size() + more.runs.size());
  for (auto& r : more.runs) into.runs.push_back(std::move(r));
  into.results.reserve(into.results.size() + more.results.size());
  for (auto& r : more.results) {
    r.run += base;
    into.results.push_back(std::move(r));
  }
  more.runs.clear();
  more.results.clear();
}

std::string normalizeCwe(std::string_view tag) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 0; i + 3 <= tag.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(tag[i])) != 'c' ||
        std::tolower(static_cast<unsigned char>(tag[i + 1])) != 'w' ||
        std::tolower(static_cast<unsigned char>(tag[i + 2])) != 'e')
      continue;
    if (i > 0 && alnum(tag[i - 1])) continue;
    std::size_t j = i + 3;
    while (j < tag.size() && (tag[j] == '-' || tag[j] == '_' || tag[j] == ':' || tag[j] == ' ')) ++j;
    const std::size_t start = j;
    while (j < tag.size() && tag[j] >= '0' && tag[j] <= '9') ++j;
    if (j == start || j - start > 9) continue;
    if (j < tag.size() && std::isalpha(static_cast<unsigned char>(tag[j]))) continue;  // "cwe-1abc"
    std::string_view digits = tag.substr(start, j - start);
    while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
    return "CWE-" + std::string(digits);
  }
  return {};
}

}  // namespace aspm::ingest
