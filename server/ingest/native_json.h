// JSON plumbing for the native adapters: parsing a report into a DOM (native reports are small),
// salvaging the complete entries of a truncated report, and reading typed fields so that a
// missing or wrong-typed field becomes a problem with its JSON pointer instead of an exception.
//
// Truncated reports are common in practice (a scanner killed by a CI timeout leaves half a file),
// and the entries before the cut are as valid as ever, so the parser closes the open containers
// after the last complete entry and reads that, reporting where the text stopped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "ingest/native_common.h"

namespace aspm::ingest::native::json {

// RFC 6901 pointer of member `key` / element `index` below `parent`.
std::string child(std::string_view parent, std::string_view key);
std::string child(std::string_view parent, std::size_t index);

// Parses one JSON document. `entryDepth` is the depth of the array that holds the report's
// entries (1 for a top-level array, 2 for {"results": [...]}); a truncated or corrupt document is
// cut after its last complete entry at that depth. Returns nullopt (with a Fatal problem) when
// nothing usable is left. A leading UTF-8 byte order mark is skipped; invalid UTF-8 inside
// strings is accepted here and replaced when the strings are read.
std::optional<boost::json::value> parseDocument(std::string_view bytes, std::size_t entryDepth, ProblemLog& log);

// One value of a JSON text sequence and its position in it.
struct SequenceValue {
  boost::json::value value;
  std::string pointerPrefix;  // "" for the first value, "[n]" for the n-th (0-based) after it
};

// Parses values written one after another (gcc prints one array per translation unit). A
// corrupt value ends the sequence; its complete entries are salvaged as in parseDocument.
std::vector<SequenceValue> parseSequence(std::string_view bytes, std::size_t entryDepth, ProblemLog& log);

// "string", "number", "object", ... for messages.
const char* typeName(const boost::json::value& v) noexcept;

// The integer a JSON number holds exactly (integral doubles included); nullopt otherwise.
std::optional<std::int64_t> asInteger(const boost::json::value& v) noexcept;

enum class Need : std::uint8_t { Optional, Required };

// Typed access to the members of one object. A required member that is missing or wrong-typed
// is an Error (the caller skips the entry); an optional one that is wrong-typed is a Warning and
// reads as absent. JSON null reads as absent.
class Fields {
 public:
  Fields(const boost::json::object& object, std::string path, ProblemLog& log);

  const std::string& path() const noexcept { return path_; }
  std::string pathOf(std::string_view key) const { return child(path_, key); }
  const boost::json::object& object() const noexcept { return object_; }

  // The member's value, or null when absent or JSON null.
  const boost::json::value* get(std::string_view key) const noexcept;

  std::optional<std::string> text(std::string_view key, Need need = Need::Optional);
  std::optional<std::int64_t> integer(std::string_view key, Need need = Need::Optional);
  // A 1-based line or column: an integer in [minimum, 2^32).
  std::optional<std::uint32_t> position(std::string_view key, Need need = Need::Optional, std::int64_t minimum = 1);
  const boost::json::object* objectAt(std::string_view key, Need need = Need::Optional);
  const boost::json::array* arrayAt(std::string_view key, Need need = Need::Optional);

 private:
  void wrongType(std::string_view key, const char* expected, const boost::json::value& got, Need need);
  void missing(std::string_view key, Need need);

  const boost::json::object& object_;
  std::string path_;
  ProblemLog& log_;
};

// Reads a JSON string as valid UTF-8, replacing ill-formed sequences (with a warning at `path`).
std::string readText(const boost::json::string& s, const std::string& path, ProblemLog& log);

}  // namespace aspm::ingest::native::json
