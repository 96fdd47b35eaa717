// libFuzzer target for the SARIF reader: any bytes go through format detection and the streaming
// reader; nothing may crash, hang or leak, and every problem must name the input. Crashes found
// here are kept under corpus/sarif/ and replayed by tests/unit/ingest/sarif_corpus_test.cpp.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)aspm::ingest::detectFormat(bytes);
  aspm::ingest::PathResolver resolver("");
  aspm::ingest::IngestOptions options;
  options.resolver = &resolver;
  auto r = aspm::ingest::ingestBytes(bytes, "fuzz.sarif", options);
  for (const auto& p : r.value.results) {
    if (p.run >= r.value.runs.size()) std::abort();
    const auto& run = r.value.runs[p.run];
    if (p.rule >= 0 && static_cast<std::size_t>(p.rule) >= run.rules.size()) std::abort();
  }
  for (const auto& p : r.problems)
    if (p.file != "fuzz.sarif") std::abort();
  return 0;
}
