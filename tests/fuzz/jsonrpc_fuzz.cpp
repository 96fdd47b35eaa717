// libFuzzer target for the JSON-RPC edge of the language server: Content-Length framing fed in
// chunks whose sizes come from the input itself, envelope validation of every message, and
// decoding of the params as the protocol structs the server reads (with a re-encode/decode
// round trip of whatever decodes). Nothing may crash, hang or leak; the unit tests replay the
// corpus in tests/fuzz/corpus/jsonrpc/.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/codec.h"
#include "transport/frame.h"
#include "transport/jsonrpc.h"

namespace {

template <typename T>
void decodeAndRoundTrip(const aspm::transport::Json& params) {
  auto decoded = aspm::protocol::decode<T>(params);
  if (!decoded) return;
  auto again = aspm::protocol::decode<T>(aspm::protocol::encode(*decoded));
  if (!again) __builtin_trap();  // what we encode we must be able to read back
}

void exerciseParams(const aspm::transport::Json& params) {
  using namespace aspm::protocol;
  decodeAndRoundTrip<InitializeParams>(params);
  decodeAndRoundTrip<DidOpenTextDocumentParams>(params);
  decodeAndRoundTrip<DidChangeTextDocumentParams>(params);
  decodeAndRoundTrip<DidChangeWatchedFilesParams>(params);
  decodeAndRoundTrip<DidChangeConfigurationParams>(params);
  decodeAndRoundTrip<HoverParams>(params);
  decodeAndRoundTrip<DocumentDiagnosticParams>(params);
  decodeAndRoundTrip<CancelParams>(params);
  decodeAndRoundTrip<AspmSettings>(params);
  decodeAndRoundTrip<ConfigurationSettings>(params);
  decodeAndRoundTrip<ConfigurationResult>(params);
  decodeAndRoundTrip<ProgressParams>(params);
  decodeAndRoundTrip<PublishDiagnosticsParams>(params);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size, so the same stream is also tried split oddly.
  const std::size_t chunk = 1 + data[0] % 64;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  aspm::transport::FrameLimits limits;
  limits.maxMessageBytes = 1 << 16;
  limits.maxHeaderBytes = 256;
  aspm::transport::FrameParser parser(limits);
  std::vector<aspm::transport::FrameEvent> events;
  for (std::size_t i = 0; i < input.size(); i += chunk) parser.feed(input.substr(i, chunk), events);
  parser.finish(events);
  for (const auto& e : events) {
    if (e.kind != aspm::transport::FrameEvent::Kind::Message) continue;
    auto parsed = aspm::transport::parseEnvelope(e.text);
    if (auto* env = std::get_if<aspm::transport::Envelope>(&parsed)) {
      if (env->kind == aspm::transport::Envelope::Kind::Response) {
        if (*env->response) exerciseParams(**env->response);
      } else {
        exerciseParams(env->params);
      }
    }
  }
  return 0;
}
