// A flat record of one JSON subtree, built from SAX events, and a read-only view over it.
//
// The reader materialises every result of a log before converting it. Building a
// boost::json DOM for each one (value_stack) costs as much as parsing the whole file into a DOM:
// every object is a hash table and every string its own allocation. Measured on a 100 MB log,
// that alone was slower than the full DOM parse. A tape is two reusable buffers (nodes and
// characters) that are cleared, not freed, between subtrees, so recording a result is a few
// stores per event; the converter walks it with the view below, whose objects are small enough
// (SARIF objects have a handful of members) for linear member lookup.
//
// A tape that records results for the converter thread can also prepare their strings
// (`prepareStrings`): while the recording thread is ahead of the converter, it allocates each
// string value that will not fit std::string's inline buffer and notes whether it is plain
// ASCII, so the converter moves ready strings into the model instead of allocating, copying and
// validating them itself. It also numbers `uri` strings (UriNumbers).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "support/text.h"

namespace aspm::ingest::sarif {

enum class JsonKind : std::uint8_t { Null, Bool, Int64, Uint64, Double, String, Array, Object };

// Numbers for the distinct `uri` strings of one log, given by the recording thread (a log names
// a few thousand files hundreds of thousands of times). The converter then caches what a URI
// resolves to by number, in a vector, instead of hashing the string again on its own thread,
// which is the busier one.
class UriNumbers {
 public:
  // 1, 2, ...: the same number for the same string.
  std::uint32_t number(std::string_view uri) {
    if (last_ && uri == *last_) return lastNumber_;
    auto it = numbers_.find(uri);
    if (it == numbers_.end()) it = numbers_.emplace(std::string(uri), static_cast<std::uint32_t>(numbers_.size() + 1)).first;
    last_ = &it->first;
    lastNumber_ = it->second;
    return lastNumber_;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view v) const noexcept { return std::hash<std::string_view>{}(v); }
  };
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> numbers_;
  const std::string* last_ = nullptr;  // node keys stay where they are
  std::uint32_t lastNumber_ = 0;
};

class Tape {
 public:
  // 32 bytes: a result is a few hundred nodes, and writing them is much of the recording cost.
  // Offsets are 32 bits: a tape holds one batch of results, and a single value is refused long
  // before 4 GB (the reader's capture limit).
  struct Node {
    JsonKind kind = JsonKind::Null;
    bool flag = false;           // Bool value; String: known to be ASCII (prepared tapes only)
    std::uint32_t next = 0;      // index just past this subtree
    std::uint32_t count = 0;     // members / elements of a container; String: prepared string + 1
    std::uint32_t keyOffset = 0;  // member name (when the parent is an object)
    std::uint32_t keyLength = 0;
    std::uint32_t uri = 0;  // String under the key "uri", when numbering: its UriNumbers number
    union {
      std::int64_t i;
      std::uint64_t u;
      double d;
      struct {
        std::uint32_t offset;  // String: where its characters are
        std::uint32_t length;
      } str;
    } num{};
  };

  static_assert(sizeof(Node) == 32);

  Tape() = default;
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  // Strings longer than this are allocated by std::string; shorter ones are stored inline and
  // cost the converter nothing to build.
  static constexpr std::size_t kInlineString = 15;

  void prepareStrings(bool on) noexcept { prepare_ = on; }
  // Numbers every string recorded under the key "uri" (null: none).
  void numberUris(UriNumbers* numbers) noexcept { uriNumbers_ = numbers; }

  void clear() noexcept {
    nodes_.clear();
    prepared_.clear();
    charCount_ = 0;
    open_.clear();
    keyOffset_ = keyLength_ = 0;
    pendingChars_ = 0;
  }
  bool empty() const noexcept { return nodes_.empty(); }
  std::size_t bytes() const noexcept { return charCount_ + nodes_.size() * sizeof(Node); }

  // Several subtrees may be recorded one after the other (the reader batches results); a mark
  // is where the next one starts, and rolling back to it drops a subtree that was abandoned.
  struct Mark {
    std::uint32_t nodes = 0;
    std::size_t chars = 0;
  };
  Mark mark() const noexcept { return Mark{static_cast<std::uint32_t>(nodes_.size()), charCount_}; }
  std::size_t bytesSince(Mark m) const noexcept { return bytes() - (m.chars + m.nodes * sizeof(Node)); }
  void rollback(Mark m) {
    // Prepared strings of the dropped nodes stay until the next clear(): nothing refers to them.
    nodes_.resize(m.nodes);
    charCount_ = m.chars;
    open_.clear();
    keyOffset_ = keyLength_ = 0;
    pendingChars_ = 0;
  }

  // --- building (SAX order) ---
  void keyPart(std::string_view s) {
    if (pendingChars_ == 0) keyOffset_ = static_cast<std::uint32_t>(charCount_);
    append(s);
  }
  void key(std::string_view s) {
    keyPart(s);
    keyLength_ = static_cast<std::uint32_t>(pendingChars_);
    pendingChars_ = 0;
  }
  void stringPart(std::string_view s) {
    if (pendingChars_ == 0) strStart_ = charCount_;
    append(s);
  }
  void string(std::string_view s) {
    stringPart(s);
    Node& n = push(JsonKind::String);
    n.num.str.offset = static_cast<std::uint32_t>(strStart_);
    n.num.str.length = static_cast<std::uint32_t>(pendingChars_);
    if (prepare_) prepare(n);
    if (uriNumbers_ && n.keyLength == 3 && std::memcmp(chars_.get() + n.keyOffset, "uri", 3) == 0)
      n.uri = uriNumbers_->number(chars(n.num.str.offset, n.num.str.length));
    pendingChars_ = 0;
  }
  void int64(std::int64_t v) { push(JsonKind::Int64).num.i = v; }
  void uint64(std::uint64_t v) { push(JsonKind::Uint64).num.u = v; }
  void dbl(double v) { push(JsonKind::Double).num.d = v; }
  void boolean(bool v) { push(JsonKind::Bool).flag = v; }
  void null() { push(JsonKind::Null); }
  void begin(bool object) {
    push(object ? JsonKind::Object : JsonKind::Array);
    open_.push_back(static_cast<std::uint32_t>(nodes_.size() - 1));
  }
  void end(std::size_t count) {
    Node& n = nodes_[open_.back()];
    open_.pop_back();
    n.count = static_cast<std::uint32_t>(count);
    n.next = static_cast<std::uint32_t>(nodes_.size());
  }

  const Node& node(std::uint32_t i) const noexcept { return nodes_[i]; }
  std::string_view chars(std::uint64_t offset, std::uint64_t length) const noexcept {
    return std::string_view(chars_.get() + offset, length);
  }

  // The string value of node `i` as a std::string: the prepared one, moved out, when there is
  // one (each is taken once; a second read copies the characters again), else a copy.
  std::string takeString(std::uint32_t i) const {
    const Node& n = nodes_[i];
    const std::string_view v = chars(n.num.str.offset, n.num.str.length);
    if (n.count != 0) {
      std::string& p = prepared_[n.count - 1];
      if (p.size() == v.size()) return std::move(p);  // moved-from strings are empty
    }
    return std::string(v);
  }

 private:
  void prepare(Node& n) {
    const std::string_view v = chars(n.num.str.offset, n.num.str.length);
    n.flag = support::isAscii(v);
    if (v.size() > kInlineString) {
      prepared_.emplace_back(v);
      n.count = static_cast<std::uint32_t>(prepared_.size());
    }
  }

  // A plain buffer rather than std::string: appending is most of the recording work, one call
  // per key and per string, and this is a bounds check and a memcpy.
  void append(std::string_view s) {
    if (s.size() > charCapacity_ - charCount_) grow(s.size());
    if (!s.empty()) std::memcpy(chars_.get() + charCount_, s.data(), s.size());
    charCount_ += s.size();
    pendingChars_ += s.size();
  }
  void grow(std::size_t more) {
    std::size_t cap = charCapacity_ ? charCapacity_ * 2 : 64 * 1024;
    while (cap - charCount_ < more) cap *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(cap);
    if (charCount_) std::memcpy(bigger.get(), chars_.get(), charCount_);
    chars_ = std::move(bigger);
    charCapacity_ = cap;
  }

  Node& push(JsonKind k) {
    Node& n = nodes_.emplace_back();
    n.kind = k;
    n.next = static_cast<std::uint32_t>(nodes_.size());
    n.keyOffset = keyOffset_;
    n.keyLength = keyLength_;
    keyOffset_ = keyLength_ = 0;
    return n;
  }

  std::vector<Node> nodes_;
  std::unique_ptr<char[]> chars_;
  std::size_t charCount_ = 0;
  std::size_t charCapacity_ = 0;
  std::vector<std::uint32_t> open_;
  // Moved out by the converter through a const view (takeString); see prepareStrings.
  mutable std::vector<std::string> prepared_;
  bool prepare_ = false;
  UriNumbers* uriNumbers_ = nullptr;
  std::uint32_t keyOffset_ = 0;
  std::uint32_t keyLength_ = 0;
  std::size_t strStart_ = 0;
  std::size_t pendingChars_ = 0;
};

// A value in a tape. Cheap to copy; valid while the tape is neither cleared nor extended.
class JsonValue {
 public:
  JsonValue() noexcept = default;
  JsonValue(const Tape* t, std::uint32_t i) noexcept : t_(t), i_(i) {}

  JsonKind kind() const noexcept { return n().kind; }
  bool isNull() const noexcept { return kind() == JsonKind::Null; }
  bool isBool() const noexcept { return kind() == JsonKind::Bool; }
  bool isString() const noexcept { return kind() == JsonKind::String; }
  bool isArray() const noexcept { return kind() == JsonKind::Array; }
  bool isObject() const noexcept { return kind() == JsonKind::Object; }
  bool isNumber() const noexcept {
    return kind() == JsonKind::Int64 || kind() == JsonKind::Uint64 || kind() == JsonKind::Double;
  }
  bool boolean() const noexcept { return n().flag; }
  std::int64_t int64() const noexcept { return n().num.i; }
  std::uint64_t uint64() const noexcept { return n().num.u; }
  double dbl() const noexcept { return n().num.d; }
  double number() const noexcept {
    switch (kind()) {
      case JsonKind::Int64: return static_cast<double>(n().num.i);
      case JsonKind::Uint64: return static_cast<double>(n().num.u);
      case JsonKind::Double: return n().num.d;
      default: return 0;
    }
  }
  std::string_view string() const noexcept { return t_->chars(n().num.str.offset, n().num.str.length); }
  // The string value as a std::string, moved out of the tape when it was prepared (see
  // Tape::prepareStrings). Only for String values.
  std::string takeString() const { return t_->takeString(i_); }
  // A `uri` string's number (UriNumbers); 0 when it was not numbered.
  std::uint32_t uriNumber() const noexcept { return n().uri; }
  // The string value is known to be plain ASCII (so valid UTF-8); false means not checked.
  bool knownAscii() const noexcept { return n().flag; }
  std::size_t size() const noexcept { return n().count; }
  // Member name of this value inside its object.
  std::string_view key() const noexcept { return t_->chars(n().keyOffset, n().keyLength); }

  // Children (elements of an array, member values of an object) in document order.
  class Iterator {
   public:
    Iterator(const Tape* t, std::uint32_t i) noexcept : t_(t), i_(i) {}
    JsonValue operator*() const noexcept { return JsonValue(t_, i_); }
    Iterator& operator++() noexcept {
      i_ = t_->node(i_).next;
      return *this;
    }
    bool operator!=(const Iterator& o) const noexcept { return i_ != o.i_; }

   private:
    const Tape* t_;
    std::uint32_t i_;
  };
  struct Range {
    Iterator b, e;
    Iterator begin() const noexcept { return b; }
    Iterator end() const noexcept { return e; }
  };
  Range children() const noexcept {
    const bool container = isArray() || isObject();
    return Range{Iterator(t_, i_ + 1), Iterator(t_, container ? n().next : i_ + 1)};
  }

  // The member named `k`, when this is an object that has one.
  std::optional<JsonValue> find(std::string_view k) const noexcept {
    if (!isObject()) return std::nullopt;
    for (JsonValue m : children())
      if (m.key() == k) return m;
    return std::nullopt;
  }

  // Spellings shared with boost::json::value, so conversion code reads the same over either.
  bool is_null() const noexcept { return isNull(); }
  bool is_bool() const noexcept { return isBool(); }
  bool is_string() const noexcept { return isString(); }
  bool is_array() const noexcept { return isArray(); }
  bool is_object() const noexcept { return isObject(); }
  bool is_number() const noexcept { return isNumber(); }
  bool get_bool() const noexcept { return boolean(); }
  std::optional<std::string_view> if_string() const noexcept {
    if (!isString()) return std::nullopt;
    return string();
  }
  inline std::optional<class ObjectView> if_object() const noexcept;
  inline std::optional<class ArrayView> if_array() const noexcept;

 private:
  const Tape::Node& n() const noexcept { return t_->node(i_); }
  const Tape* t_ = nullptr;
  std::uint32_t i_ = 0;
};

// An object member: its name and its value.
struct Member {
  JsonValue v;
  std::string_view key() const noexcept { return v.key(); }
  JsonValue value() const noexcept { return v; }
};

class ObjectView {
 public:
  explicit ObjectView(JsonValue v) noexcept : v_(v) {}
  class Iterator {
   public:
    explicit Iterator(JsonValue::Iterator it) noexcept : it_(it) {}
    Member operator*() const noexcept { return Member{*it_}; }
    Iterator& operator++() noexcept {
      ++it_;
      return *this;
    }
    bool operator!=(const Iterator& o) const noexcept { return it_ != o.it_; }

   private:
    JsonValue::Iterator it_;
  };
  Iterator begin() const noexcept { return Iterator(v_.children().begin()); }
  Iterator end() const noexcept { return Iterator(v_.children().end()); }
  std::size_t size() const noexcept { return v_.size(); }
  std::optional<JsonValue> if_contains(std::string_view k) const noexcept { return v_.find(k); }

 private:
  JsonValue v_;
};

// Arrays are read front to back; indexing remembers where it was so a loop over [i] is linear.
class ArrayView {
 public:
  explicit ArrayView(JsonValue v) noexcept : v_(v), cursor_(v.children().begin()) {}
  std::size_t size() const noexcept { return v_.size(); }
  bool empty() const noexcept { return v_.size() == 0; }
  JsonValue operator[](std::size_t i) const noexcept {
    if (i < index_) {
      index_ = 0;
      cursor_ = v_.children().begin();
    }
    while (index_ < i) {
      ++cursor_;
      ++index_;
    }
    return *cursor_;
  }

 private:
  JsonValue v_;
  mutable JsonValue::Iterator cursor_;
  mutable std::size_t index_ = 0;
};

inline std::optional<ObjectView> JsonValue::if_object() const noexcept {
  if (!isObject()) return std::nullopt;
  return ObjectView(*this);
}
inline std::optional<ArrayView> JsonValue::if_array() const noexcept {
  if (!isArray()) return std::nullopt;
  return ArrayView(*this);
}

}  // namespace aspm::ingest::sarif
