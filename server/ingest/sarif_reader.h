// Streaming SARIF 2.1.0 reader.
//
// A SARIF log can be gigabytes; its DOM would be several times that. The reader therefore runs
// Boost.JSON's SAX parser (`basic_parser`) over the bytes as they arrive, tracks where it is in
// the log's top-level structure, and materialises only one small subtree at a time (one result,
// the tool, one artifact ...), which `RunBuilder` turns into model objects before it is dropped.
// Peak memory is the model plus the largest single subtree, independent of the file's size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/ingest.h"

namespace aspm::ingest::sarif {

class SarifStream {
 public:
  // `resolver` must outlive the stream. `totalBytes` (0 if unknown) sizes the result vectors.
  // `parallel`: convert results on a second thread (IngestOptions::convertInParallel).
  SarifStream(std::string displayPath, PathResolver& resolver, std::uint64_t totalBytes = 0, bool parallel = true);
  ~SarifStream();
  SarifStream(const SarifStream&) = delete;
  SarifStream& operator=(const SarifStream&) = delete;

  // Feed the next bytes of the file. Returns false once parsing cannot continue (bad JSON);
  // further input is then ignored.
  bool write(std::string_view bytes);

  // Stop early (cancellation): what was complete is kept and a problem says the load was cut.
  void abandon(std::string reason);

  // End of input: finishes the open run, checks the log's version and returns everything.
  support::WithProblems<model::ScanSet> finish();

  std::uint64_t bytesConsumed() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> d_;
};

}  // namespace aspm::ingest::sarif
