// The Content-Length frame parser: any split of the input gives the same messages, junk and bad
// headers are reported and skipped, oversized messages are skipped without being buffered.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transport/frame.h"

namespace aspm::transport {
namespace {

using Kind = FrameEvent::Kind;

std::vector<FrameEvent> parseAll(std::string_view input, FrameLimits limits = {}, bool finish = true) {
  FrameParser p(limits);
  std::vector<FrameEvent> out;
  p.feed(input, out);
  if (finish) p.finish(out);
  return out;
}

std::vector<std::string> messages(const std::vector<FrameEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (e.kind == Kind::Message) out.push_back(e.text);
  return out;
}

std::vector<std::string> errors(const std::vector<FrameEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (e.kind == Kind::Error) out.push_back(e.text);
  return out;
}

TEST(FrameParser, ParsesOneMessage) {
  auto ev = parseAll("Content-Length: 2\r\n\r\n{}");
  EXPECT_EQ(messages(ev), std::vector<std::string>{"{}"});
  EXPECT_TRUE(errors(ev).empty());
}

TEST(FrameParser, MergedMessagesInOneChunk) {
  const std::string in = frameMessage("{\"a\":1}") + frameMessage("{\"b\":2}") + frameMessage("[]");
  EXPECT_EQ(messages(parseAll(in)), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "[]"}));
}

TEST(FrameParser, EverySplitPointGivesTheSameMessages) {
  const std::string in = frameMessage("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}") + frameMessage("{\"é\":\"😀\"}");
  const std::vector<std::string> want = {"{\"jsonrpc\":\"2.0\",\"method\":\"x\"}", "{\"é\":\"😀\"}"};
  for (std::size_t a = 0; a <= in.size(); ++a) {
    for (std::size_t b = a; b <= in.size(); b += 7) {
      FrameParser p;
      std::vector<FrameEvent> out;
      p.feed(std::string_view(in).substr(0, a), out);
      p.feed(std::string_view(in).substr(a, b - a), out);
      p.feed(std::string_view(in).substr(b), out);
      p.finish(out);
      ASSERT_EQ(messages(out), want) << "split at " << a << "," << b;
      ASSERT_TRUE(errors(out).empty()) << errors(out).front();
    }
  }
}

TEST(FrameParser, ByteByByte) {
  const std::string in = frameMessage("{\"x\":[1,2,3]}") + frameMessage("{}");
  FrameParser p;
  std::vector<FrameEvent> out;
  for (char c : in) p.feed(std::string_view(&c, 1), out);
  EXPECT_EQ(messages(out), (std::vector<std::string>{"{\"x\":[1,2,3]}", "{}"}));
}

TEST(FrameParser, HeaderNamesAreCaseInsensitiveAndOtherHeadersIgnored) {
  auto ev = parseAll("content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  3 \r\n\r\n[1]");
  EXPECT_EQ(messages(ev), std::vector<std::string>{"[1]"});
  EXPECT_TRUE(errors(ev).empty());
}

TEST(FrameParser, BareNewlinesAndStrayLineBreaksBetweenMessagesAreTolerated) {
  auto ev = parseAll("Content-Length: 2\n\n{}\r\n\r\nContent-Length: 2\r\n\r\n[]");
  EXPECT_EQ(messages(ev), (std::vector<std::string>{"{}", "[]"}));
  EXPECT_TRUE(errors(ev).empty());
}

TEST(FrameParser, InvalidContentLengthIsReportedAndTheNextMessageStillArrives) {
  auto ev = parseAll("Content-Length: abc\r\n\r\n{\"lost\":1}" + frameMessage("{}"));
  ASSERT_EQ(errors(ev).size(), 1u);
  EXPECT_NE(errors(ev)[0].find("invalid Content-Length \"abc\""), std::string::npos) << errors(ev)[0];
  EXPECT_EQ(messages(ev), std::vector<std::string>{"{}"});
}

TEST(FrameParser, MissingContentLength) {
  auto ev = parseAll("Content-Type: x\r\n\r\n{}" + frameMessage("[]"));
  ASSERT_EQ(errors(ev).size(), 1u);
  EXPECT_NE(errors(ev)[0].find("without Content-Length"), std::string::npos) << errors(ev)[0];
  EXPECT_EQ(messages(ev), std::vector<std::string>{"[]"});
}

TEST(FrameParser, UnframedJsonIsJunkUntilTheNextHeader) {
  auto ev = parseAll("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}\r\n" + frameMessage("{}"));
  ASSERT_EQ(errors(ev).size(), 1u);
  EXPECT_NE(errors(ev)[0].find("malformed header line"), std::string::npos) << errors(ev)[0];
  EXPECT_EQ(messages(ev), std::vector<std::string>{"{}"});
}

TEST(FrameParser, OverlongNumbersAndConflictingLengthsAreRejected) {
  EXPECT_EQ(errors(parseAll("Content-Length: 99999999999999999999999\r\n\r\n")).size(), 1u);
  EXPECT_EQ(errors(parseAll("Content-Length: -1\r\n\r\n")).size(), 1u);
  auto ev = parseAll("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}" + frameMessage("[]"));
  ASSERT_FALSE(errors(ev).empty());
  EXPECT_NE(errors(ev)[0].find("conflicting"), std::string::npos);
  EXPECT_EQ(messages(ev), std::vector<std::string>{"[]"});
}

TEST(FrameParser, OversizedMessageIsSkippedWithoutBufferingAndTheNextOneArrives) {
  FrameLimits limits;
  limits.maxMessageBytes = 10;
  const std::string big(1000, 'x');
  FrameParser p(limits);
  std::vector<FrameEvent> out;
  p.feed("Content-Length: 1000\r\n\r\n", out);
  ASSERT_EQ(errors(out).size(), 1u);
  EXPECT_NE(errors(out)[0].find("exceeds the limit of 10 bytes"), std::string::npos) << errors(out)[0];
  for (std::size_t i = 0; i < big.size(); i += 100) p.feed(std::string_view(big).substr(i, 100), out);
  p.feed(frameMessage("{}"), out);
  p.finish(out);
  EXPECT_EQ(messages(out), std::vector<std::string>{"{}"});
  EXPECT_EQ(errors(out).size(), 1u);
}

TEST(FrameParser, EndlessHeaderIsCutAtTheLimit) {
  FrameLimits limits;
  limits.maxHeaderBytes = 64;
  auto ev = parseAll(std::string(500, 'h') + frameMessage("{}"), limits);
  ASSERT_GE(errors(ev).size(), 1u);
  EXPECT_NE(errors(ev)[0].find("no end of header block within 64 bytes"), std::string::npos) << errors(ev)[0];
  EXPECT_EQ(messages(ev), std::vector<std::string>{"{}"});
}

TEST(FrameParser, TruncatedInputIsReportedAtEnd) {
  auto ev = parseAll("Content-Length: 10\r\n\r\n{\"a\"");
  ASSERT_EQ(errors(ev).size(), 1u);
  EXPECT_NE(errors(ev)[0].find("4 of 10 bytes"), std::string::npos) << errors(ev)[0];
  ev = parseAll("Content-Len");
  ASSERT_EQ(errors(ev).size(), 1u);
  EXPECT_NE(errors(ev)[0].find("inside a header block"), std::string::npos);
  EXPECT_TRUE(parseAll("\r\n").empty());
}

TEST(FrameParser, ZeroLengthBodyIsAnEmptyMessage) {
  EXPECT_EQ(messages(parseAll("Content-Length: 0\r\n\r\n")), std::vector<std::string>{""});
}

TEST(FrameParser, ResyncFindsAHeaderSplitAcrossChunks) {
  FrameParser p;
  std::vector<FrameEvent> out;
  p.feed("garbage without structure\r\n\r\nxx Content-Le", out);
  p.feed("ngth: 2\r\n\r\n{}", out);
  p.finish(out);
  EXPECT_EQ(messages(out), std::vector<std::string>{"{}"});
  EXPECT_EQ(errors(out).size(), 1u);
}

TEST(FrameParser, ErrorMessagesArePrintable) {
  auto ev = parseAll(std::string("\x01\xff: \x02\r\n\r\n") + frameMessage("{}"));
  ASSERT_EQ(errors(ev).size(), 1u);
  const std::string message = errors(ev)[0];
  for (char c : message) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << message;
}

}  // namespace
}  // namespace aspm::transport
