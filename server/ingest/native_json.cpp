// JSON parsing with salvage, and typed field access, for the native adapters (see native_json.h).
#include "ingest/native_json.h"

#include <limits>
#include <utility>

#include <boost/json/stream_parser.hpp>

#include "support/text.h"

namespace aspm::ingest::native::json {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

boost::json::parse_options parseOptions() {
  boost::json::parse_options opt;
  // Scanners copy source text into reports byte for byte; a Latin-1 comment must not cost the
  // whole report. Strings are checked and repaired when read (readText).
  opt.allow_invalid_utf8 = true;
  opt.max_depth = 64;
  return opt;
}

// What a scan of a broken text's prefix knows: the containers open at the point of failure,
// where each could be cut after its last complete member, and the pointer of the failure.
struct Frame {
  bool array = false;
  std::size_t cut = 0;    // offset just after the last complete member (or the opening bracket)
  std::size_t index = 0;  // array: index of the element being read
  std::string key;        // object: key of the member being read
  bool expectKey = false;
};

std::vector<Frame> scanPrefix(std::string_view text) {
  std::vector<Frame> stack;
  bool inString = false;
  bool escape = false;
  std::size_t stringStart = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        inString = false;
        if (!stack.empty() && !stack.back().array && stack.back().expectKey) {
          stack.back().key.assign(text.substr(stringStart, i - stringStart));
          stack.back().expectKey = false;
        }
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        stringStart = i + 1;
        break;
      case '[':
      case '{': {
        Frame f;
        f.array = c == '[';
        f.cut = i + 1;
        f.expectKey = !f.array;
        stack.push_back(std::move(f));
        break;
      }
      case ']':
      case '}':
        if (!stack.empty()) stack.pop_back();
        // The container just closed is a complete member of its parent.
        if (!stack.empty()) stack.back().cut = i + 1;
        break;
      case ',':
        if (!stack.empty()) {
          Frame& top = stack.back();
          top.cut = i;
          if (top.array) {
            ++top.index;
          } else {
            top.expectKey = true;
            top.key.clear();
          }
        }
        break;
      default:
        break;
    }
  }
  return stack;
}

std::string pointerOf(const std::vector<Frame>& stack, std::string_view prefix) {
  std::string p(prefix);
  for (const Frame& f : stack) {
    if (f.array) {
      p = child(p, f.index);
    } else if (!f.key.empty()) {
      p = child(p, f.key);
    } else {
      break;
    }
  }
  return p;
}

std::string describe(const boost::system::error_code& ec) {
  std::string m = ec.message();
  return m.empty() ? std::string("malformed JSON") : m;
}

struct Attempt {
  std::optional<boost::json::value> value;
  std::size_t consumed = 0;  // bytes consumed on success, offset of the failure otherwise
  boost::system::error_code ec;
};

// Parses the first value of `text`; stops after it (trailing bytes are the caller's business).
Attempt parseOne(std::string_view text) {
  Attempt a;
  boost::json::stream_parser p({}, parseOptions());
  a.consumed = p.write_some(text.data(), text.size(), a.ec);
  if (!a.ec && !p.done()) {
    p.finish(a.ec);
    if (a.ec) a.consumed = text.size();
  }
  if (!a.ec && p.done()) a.value = p.release();
  return a;
}

// Re-reads the part of a broken value `text` (failed at `failedAt`) that ends with its last
// complete entry at `entryDepth`; reports what was lost. `base` is the offset of `text` in the
// whole input, for messages.
std::optional<boost::json::value> salvage(std::string_view text, std::size_t failedAt,
                                          const boost::system::error_code& ec, std::size_t entryDepth, std::size_t base,
                                          std::string_view pointerPrefix, ProblemLog& log) {
  const std::vector<Frame> stack = scanPrefix(text.substr(0, failedAt));
  const std::string where = pointerOf(stack, pointerPrefix);
  const std::string at = "at byte " + std::to_string(base + failedAt) + " (" + describe(ec) + ")";
  const std::size_t depth = std::min(entryDepth, stack.size());
  if (depth == 0) {
    log.fatal(where, "not a JSON report: " + at);
    return std::nullopt;
  }
  std::string repaired(text.substr(0, stack[depth - 1].cut));
  for (std::size_t i = depth; i-- > 0;) repaired += stack[i].array ? ']' : '}';
  Attempt again = parseOne(repaired);
  if (!again.value) {
    log.fatal(where, "not a usable JSON report: " + at);
    return std::nullopt;
  }
  log.error(where, "the report is cut short or corrupt " + at + "; entries from here on were not read");
  return std::move(again.value);
}

bool onlyWhitespace(std::string_view s) noexcept {
  return support::trim(s).empty();
}

}  // namespace

std::string child(std::string_view parent, std::string_view key) {
  std::string p(parent);
  p += '/';
  for (char c : key) {
    if (c == '~') {
      p += "~0";
    } else if (c == '/') {
      p += "~1";
    } else {
      p += c;
    }
  }
  return p;
}

std::string child(std::string_view parent, std::size_t index) {
  std::string p(parent);
  p += '/';
  p += std::to_string(index);
  return p;
}

std::optional<boost::json::value> parseDocument(std::string_view bytes, std::size_t entryDepth, ProblemLog& log) {
  if (bytes.substr(0, kBom.size()) == kBom) bytes.remove_prefix(kBom.size());
  if (onlyWhitespace(bytes)) {
    log.fatal("", "the report is empty");
    return std::nullopt;
  }
  Attempt a = parseOne(bytes);
  if (!a.value) return salvage(bytes, a.consumed, a.ec, entryDepth, 0, "", log);
  if (!onlyWhitespace(bytes.substr(a.consumed))) {
    log.warning("", "unexpected data after the JSON document at byte " + std::to_string(a.consumed) + " was ignored");
  }
  return std::move(a.value);
}

std::vector<SequenceValue> parseSequence(std::string_view bytes, std::size_t entryDepth, ProblemLog& log) {
  std::vector<SequenceValue> out;
  std::size_t base = 0;
  if (bytes.substr(0, kBom.size()) == kBom) base = kBom.size();
  if (onlyWhitespace(bytes.substr(base))) {
    log.fatal("", "the report is empty");
    return out;
  }
  while (true) {
    while (base < bytes.size() &&
           (bytes[base] == ' ' || bytes[base] == '\n' || bytes[base] == '\r' || bytes[base] == '\t'))
      ++base;
    if (base >= bytes.size()) break;
    const std::string prefix = out.empty() ? std::string() : "[" + std::to_string(out.size()) + "]";
    const std::string_view rest = bytes.substr(base);
    Attempt a = parseOne(rest);
    if (!a.value) {
      if (auto v = salvage(rest, a.consumed, a.ec, entryDepth, base, prefix, log))
        out.push_back({std::move(*v), prefix});
      break;
    }
    out.push_back({std::move(*a.value), prefix});
    base += a.consumed;
  }
  return out;
}

const char* typeName(const boost::json::value& v) noexcept {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

std::optional<std::int64_t> asInteger(const boost::json::value& v) noexcept {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    const double d = v.get_double();
    // The range check also rejects NaN and infinities.
    if (!(d >= -9.0e15 && d <= 9.0e15)) return std::nullopt;
    const auto i = static_cast<std::int64_t>(d);
    if (static_cast<double>(i) != d) return std::nullopt;
    return i;
  }
  return std::nullopt;
}

std::string readText(const boost::json::string& s, const std::string& path, ProblemLog& log) {
  const std::string_view view(s.data(), s.size());
  if (support::isValidUtf8(view)) return std::string(view);
  log.warning(path, "invalid UTF-8 replaced by U+FFFD", "invalid-utf8");
  return support::sanitizeUtf8(view);
}

Fields::Fields(const boost::json::object& object, std::string path, ProblemLog& log)
    : object_(object), path_(std::move(path)), log_(log) {}

const boost::json::value* Fields::get(std::string_view key) const noexcept {
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  return v;
}

void Fields::wrongType(std::string_view key, const char* expected, const boost::json::value& got, Need need) {
  std::string message = std::string("expected ") + expected + ", found " + typeName(got);
  if (need == Need::Required) {
    log_.error(pathOf(key), std::move(message) + "; the entry was skipped", "wrong-type-required");
  } else {
    log_.warning(pathOf(key), std::move(message) + "; the field was ignored", "wrong-type");
  }
}

void Fields::missing(std::string_view key, Need need) {
  if (need == Need::Required) {
    log_.error(pathOf(key), "required field \"" + std::string(key) + "\" is missing; the entry was skipped",
               "missing-required");
  }
}

std::optional<std::string> Fields::text(std::string_view key, Need need) {
  const boost::json::value* v = get(key);
  if (v == nullptr) {
    missing(key, need);
    return std::nullopt;
  }
  if (!v->is_string()) {
    wrongType(key, "a string", *v, need);
    return std::nullopt;
  }
  return readText(v->get_string(), pathOf(key), log_);
}

std::optional<std::int64_t> Fields::integer(std::string_view key, Need need) {
  const boost::json::value* v = get(key);
  if (v == nullptr) {
    missing(key, need);
    return std::nullopt;
  }
  auto i = asInteger(*v);
  if (!i) wrongType(key, "an integer", *v, need);
  return i;
}

std::optional<std::uint32_t> Fields::position(std::string_view key, Need need, std::int64_t minimum) {
  auto i = integer(key, need);
  if (!i) return std::nullopt;
  if (*i < minimum || *i > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
    std::string message = std::to_string(*i) + " is not a valid position (at least " + std::to_string(minimum) + ")";
    if (need == Need::Required) {
      log_.error(pathOf(key), std::move(message) + "; the entry was skipped", "bad-position-required");
    } else {
      log_.warning(pathOf(key), std::move(message) + "; it was ignored", "bad-position");
    }
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(*i);
}

const boost::json::object* Fields::objectAt(std::string_view key, Need need) {
  const boost::json::value* v = get(key);
  if (v == nullptr) {
    missing(key, need);
    return nullptr;
  }
  if (!v->is_object()) {
    wrongType(key, "an object", *v, need);
    return nullptr;
  }
  return &v->get_object();
}

const boost::json::array* Fields::arrayAt(std::string_view key, Need need) {
  const boost::json::value* v = get(key);
  if (v == nullptr) {
    missing(key, need);
    return nullptr;
  }
  if (!v->is_array()) {
    wrongType(key, "an array", *v, need);
    return nullptr;
  }
  return &v->get_array();
}

}  // namespace aspm::ingest::native::json
