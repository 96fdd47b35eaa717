// Incremental Content-Length framing with resynchronisation after junk.
#include "transport/frame.h"

#include <algorithm>
#include <cctype>

namespace aspm::transport {
namespace {

constexpr std::string_view kContentLength = "content-length";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Case-insensitive search for "content-length" from `from`.
std::size_t findContentLength(std::string_view s, std::size_t from) {
  for (std::size_t i = from; i + kContentLength.size() <= s.size(); ++i) {
    if (iequals(s.substr(i, kContentLength.size()), kContentLength)) return i;
  }
  return std::string_view::npos;
}

// RFC 7230 token characters: what a header name may consist of.
bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A short, printable rendering of offending input for error messages.
std::string quote(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (s.size() > kMax) out += "...";
  out += '"';
  return out;
}

// End of the header block starting at `from`: the index just past the blank line, or npos.
// Lines end in "\r\n" as the base protocol says; a bare "\n" is accepted too.
std::size_t findHeaderEnd(std::string_view s, std::size_t from, std::size_t& blockEnd) {
  for (std::size_t i = s.find('\n', from); i != std::string_view::npos; i = s.find('\n', i + 1)) {
    if (i + 1 < s.size() && s[i + 1] == '\n') {
      blockEnd = i;
      return i + 2;
    }
    if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
      blockEnd = i;
      return i + 3;
    }
  }
  return std::string_view::npos;
}

}  // namespace

FrameParser::FrameParser(FrameLimits limits) : limits_(limits) {}

std::uint64_t FrameParser::parseHeaders(std::string_view block, std::string& error, std::size_t& resume) const {
  resume = block.size();
  std::uint64_t length = 0;
  bool haveLength = false;
  std::size_t b = 0;
  while (b <= block.size()) {
    std::size_t e = block.find('\n', b);
    if (e == std::string_view::npos) e = block.size();
    const std::string_view line = trimSpaces(block.substr(b, e - b));
    b = e + 1;
    if (line.empty()) continue;
    const std::size_t colon = line.find(':');
    const std::string_view name = colon == std::string_view::npos ? std::string_view{} : line.substr(0, colon);
    if (name.empty() || !std::all_of(name.begin(), name.end(), isTokenChar)) {
      // Junk before a header (e.g. unframed JSON): a real header may follow on the next line.
      error = "malformed header line " + quote(line) + " (expected \"Name: value\")";
      resume = std::min(b, block.size());
      return 0;
    }
    const std::string_view value = trimSpaces(line.substr(colon + 1));
    if (!iequals(name, kContentLength)) continue;  // Content-Type and unknown headers are ignored
    std::uint64_t n = 0;
    bool ok = !value.empty() && value.size() <= 19;
    for (char c : value) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!ok) {
      error = "invalid Content-Length " + quote(value) + " (expected a decimal byte count)";
      return 0;
    }
    if (haveLength && n != length) {
      error = "conflicting Content-Length headers";
      return 0;
    }
    length = n;
    haveLength = true;
  }
  if (!haveLength) {
    error = "header block without Content-Length: " + quote(block);
    return 0;
  }
  return length;
}

void FrameParser::feed(std::string_view chunk, std::vector<FrameEvent>& out) {
  // Body bytes go straight from the chunk into the body, so a large message is copied once.
  while (!chunk.empty() && (state_ == State::Body || state_ == State::Skip) && buf_.empty()) {
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, chunk.size()));
    if (state_ == State::Body) body_.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    remaining_ -= take;
    if (remaining_ == 0) {
      if (state_ == State::Body) out.push_back({FrameEvent::Kind::Message, std::move(body_)});
      body_.clear();
      state_ = State::Header;
    }
  }
  buf_.append(chunk);

  std::size_t pos = 0;
  while (pos < buf_.size()) {
    const std::string_view rest = std::string_view(buf_).substr(pos);
    if (state_ == State::Body || state_ == State::Skip) {
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
      if (state_ == State::Body) body_.append(rest.substr(0, take));
      pos += take;
      remaining_ -= take;
      if (remaining_ == 0) {
        if (state_ == State::Body) out.push_back({FrameEvent::Kind::Message, std::move(body_)});
        body_.clear();
        state_ = State::Header;
      }
      continue;
    }
    if (state_ == State::Resync) {
      const std::size_t at = findContentLength(buf_, pos);
      if (at == std::string::npos) {
        // Keep a tail that may be the start of a split "Content-Length".
        pos = std::max(pos, buf_.size() - std::min(buf_.size(), kContentLength.size() - 1));
        break;
      }
      pos = at;
      state_ = State::Header;
      continue;
    }
    // Header. Line breaks between messages are tolerated (some clients send a trailing newline).
    std::size_t start = pos;
    while (start < buf_.size() && (buf_[start] == '\r' || buf_[start] == '\n')) ++start;
    pos = start;
    if (pos == buf_.size()) break;
    std::size_t blockEnd = 0;
    const std::size_t window = std::min(buf_.size() - pos, limits_.maxHeaderBytes + 3);
    const std::size_t next = findHeaderEnd(std::string_view(buf_).substr(0, pos + window), pos, blockEnd);
    if (next == std::string::npos) {
      if (buf_.size() - pos > limits_.maxHeaderBytes) {
        out.push_back({FrameEvent::Kind::Error, "no end of header block within " + std::to_string(limits_.maxHeaderBytes) +
                                                    " bytes: " + quote(rest)});
        state_ = State::Resync;
        ++pos;
        continue;
      }
      break;  // wait for more input
    }
    std::string error;
    std::size_t resume = 0;
    const std::uint64_t length = parseHeaders(std::string_view(buf_).substr(pos, blockEnd - pos), error, resume);
    if (!error.empty()) {
      out.push_back({FrameEvent::Kind::Error, std::move(error)});
      state_ = State::Resync;
      // A bad line is skipped alone; a bad block (its Content-Length unusable) is skipped whole.
      pos = resume < blockEnd - pos ? pos + resume : next;
      continue;
    }
    pos = next;
    expected_ = length;
    remaining_ = length;
    if (length > limits_.maxMessageBytes) {
      out.push_back({FrameEvent::Kind::Error, "message of " + std::to_string(length) + " bytes exceeds the limit of " +
                                                  std::to_string(limits_.maxMessageBytes) + " bytes; skipped"});
      state_ = State::Skip;
    } else {
      state_ = State::Body;
      body_.clear();
      body_.reserve(static_cast<std::size_t>(length));
    }
    if (remaining_ == 0) {
      if (state_ == State::Body) out.push_back({FrameEvent::Kind::Message, std::string()});
      state_ = State::Header;
    }
  }
  buf_.erase(0, pos);
}

void FrameParser::finish(std::vector<FrameEvent>& out) {
  if (state_ == State::Body) {
    out.push_back({FrameEvent::Kind::Error, "input ended inside a message (" + std::to_string(expected_ - remaining_) +
                                                " of " + std::to_string(expected_) + " bytes received)"});
  } else if (state_ == State::Header && !std::all_of(buf_.begin(), buf_.end(), [](char c) { return c == '\r' || c == '\n'; })) {
    out.push_back({FrameEvent::Kind::Error, "input ended inside a header block: " + quote(buf_)});
  }
  buf_.clear();
  body_.clear();
  state_ = State::Header;
  remaining_ = 0;
}

std::string frameMessage(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

}  // namespace aspm::transport
