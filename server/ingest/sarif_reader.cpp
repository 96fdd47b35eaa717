// The SAX side of the SARIF reader: a basic_parser handler that walks the log's skeleton
// (root -> runs -> run -> results/artifacts) itself and hands every interesting subtree to
// RunBuilder as a tape (sarif_tape.h) that is recorded, converted and cleared.
//
// Parsing and recording a result costs about as much as converting it into the model, so on a
// large log results are recorded in batches and converted on a second thread while the parser
// reads on. The run's other members (the tool, artifacts, base URIs, ...) and the end of a run
// go through the same queue, in log order; problems of the log's skeleton wait until the
// converter has caught up. So the model and the problems come out exactly as a single thread
// would produce them.
#include "ingest/sarif_reader.h"

#include <boost/json/basic_parser_impl.hpp>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "ingest/sarif_problems.h"
#include "ingest/sarif_run.h"
#include "ingest/sarif_tape.h"
#include "support/text.h"

namespace aspm::ingest::sarif {
namespace json = boost::json;
using support::ProblemSeverity;

namespace {

// Where a value sits in the skeleton, decided from the enclosing frame (and key).
enum class Slot : std::uint8_t {
  Document,   // the top-level value
  Runs,       // /runs
  Version,    // /version
  Schema,     // /$schema
  RunElement, // /runs/N
  Results,    // /runs/N/results
  Artifacts,  // /runs/N/artifacts
  ResultElement,
  ArtifactElement,
  Tool,
  BaseIds,
  Provenance,
  Automation,
  Taxonomies,
  ColumnKind,
  Ignored,
  // Not a member: the reader's estimate of how many results the run has (see estimateResults),
  // queued to the converter like a member so it sizes the vectors the converter appends to.
  ResultsEstimate,
};

enum class Frame : std::uint8_t { Root, Runs, Run, Results, Artifacts };

struct FrameState {
  Frame kind;
  std::uint32_t count = 0;  // array frames: index of the next element
  Slot slot = Slot::Ignored;  // object frames: slot of the member whose key was just read
};

Slot rootMember(std::string_view k) noexcept {
  if (k == "runs") return Slot::Runs;
  if (k == "version") return Slot::Version;
  if (k == "$schema") return Slot::Schema;
  return Slot::Ignored;
}

Slot runMember(std::string_view k) noexcept {
  switch (k.size()) {
    case 4:
      if (k == "tool") return Slot::Tool;
      break;
    case 7:
      if (k == "results") return Slot::Results;
      break;
    case 9:
      if (k == "artifacts") return Slot::Artifacts;
      break;
    case 10:
      if (k == "taxonomies") return Slot::Taxonomies;
      if (k == "columnKind") return Slot::ColumnKind;
      break;
    case 17:
      if (k == "automationDetails") return Slot::Automation;
      break;
    case 18:
      if (k == "originalUriBaseIds") return Slot::BaseIds;
      break;
    case 24:
      if (k == "versionControlProvenance") return Slot::Provenance;
      break;
    default: break;
  }
  return Slot::Ignored;
}

const char* slotName(Slot s) noexcept {
  switch (s) {
    case Slot::Tool: return "tool";
    case Slot::BaseIds: return "originalUriBaseIds";
    case Slot::Provenance: return "versionControlProvenance";
    case Slot::Automation: return "automationDetails";
    case Slot::Taxonomies: return "taxonomies";
    case Slot::ColumnKind: return "columnKind";
    case Slot::Results: return "results";
    case Slot::Artifacts: return "artifacts";
    case Slot::Runs: return "runs";
    case Slot::Version: return "version";
    case Slot::Schema: return "$schema";
    default: return "";
  }
}

bool isCaptured(Slot s) noexcept {
  switch (s) {
    case Slot::ResultElement:
    case Slot::ArtifactElement:
    case Slot::Tool:
    case Slot::BaseIds:
    case Slot::Provenance:
    case Slot::Automation:
    case Slot::Taxonomies:
    case Slot::ColumnKind: return true;
    default: return false;
  }
}

// One captured subtree may not grow past this (a single result of this size is not a result).
constexpr std::size_t kMaxCaptureBytes = std::size_t(256) << 20;

// Results recorded one after the other on one tape, handed to the converter together: one
// hand-over per batch keeps the synchronisation cost out of the per-result path. The run's
// other members (tool, artifacts, provenance, ...) travel in the same queue, in log order, so
// the parser never waits for the converter to deliver them: a new run's `tool` is read while
// the converter still finishes the previous run.
struct ResultBatch {
  struct Item {
    std::uint32_t root;   // tape node of the value
    std::uint32_t index;  // position in the results or artifacts array; ResultsEstimate: the estimate
    Slot slot;            // which member of the run it is
  };
  Tape tape;
  std::vector<Item> items;
  RunBuilder* builder = nullptr;  // the run the items belong to
  std::uint32_t runIndex = 0;
  // The run ends with this batch: the converter finishes it (links rules, resolves paths) after
  // the items, while the parser reads the next run. `countRun`: count it as usable even without
  // results (the reader had not failed when it ended).
  std::unique_ptr<RunBuilder> finishAfter;
  bool countRun = false;
  // The recording thread prepares the strings the converter moves into the model when it is
  // ahead of the converter (see kPrepareWhenQueued).
  ResultBatch() = default;
  // After conversion. The tape is cleared by the recording thread when it reuses the batch:
  // the strings the converter left behind were allocated there, and are freed there.
  void converted() {
    items.clear();
    builder = nullptr;
    finishAfter.reset();
  }
};
constexpr std::size_t kBatchResults = 256;
constexpr std::size_t kBatchBytes = std::size_t(1) << 20;
// Batches handed over and not yet converted. The two threads carry about the same load, so
// each has slower stretches (a result with long code flows, a page of fresh memory); with one
// batch between them each waited for the other's, 0.1-0.2 s per 100k results. Eight absorb
// that for a few megabytes of tape (docs/benchmarks.md).
constexpr std::size_t kQueuedBatches = 8;
// The parsing thread prepares the strings of the next batch (Tape::prepareStrings) only when
// the converter has this many batches still to convert: when it is ahead. Otherwise preparing
// would slow the thread everything waits for, and the converter allocates the strings itself.
// Measured on the 100k log (21 interleaved runs): always preparing 0.664 s, preparing from
// four queued batches 0.600 s, from six 0.587 s; never preparing 0.719 s (15 runs).
constexpr std::size_t kPrepareWhenQueued = 6;

bool secondCoreAvailable() {
  static const bool available = std::thread::hardware_concurrency() > 1;
  return available;
}

}  // namespace

struct SarifStream::Impl {
  // --- the basic_parser handler; forwards everything to Impl ---
  struct Handler {
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);
    Impl* d = nullptr;

    explicit Handler(Impl* impl) : d(impl) {}
    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) { return d->containerBegin(true); }
    bool on_object_end(std::size_t n, json::error_code&) { return d->containerEnd(true, n); }
    bool on_array_begin(json::error_code&) { return d->containerBegin(false); }
    bool on_array_end(std::size_t n, json::error_code&) { return d->containerEnd(false, n); }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) { return d->keyPart(s, false); }
    bool on_key(json::string_view s, std::size_t, json::error_code&) { return d->keyPart(s, true); }
    bool on_string_part(json::string_view s, std::size_t, json::error_code&) { return d->stringPart(s, false); }
    bool on_string(json::string_view s, std::size_t, json::error_code&) { return d->stringPart(s, true); }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
      return d->scalar([&](Tape& t) { t.int64(i); }, "a number");
    }
    bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
      return d->scalar([&](Tape& t) { t.uint64(u); }, "a number");
    }
    bool on_double(double v, json::string_view, json::error_code&) {
      return d->scalar([&](Tape& t) { t.dbl(v); }, "a number");
    }
    bool on_bool(bool b, json::error_code&) {
      return d->scalar([&](Tape& t) { t.boolean(b); }, "a boolean");
    }
    bool on_null(json::error_code&) {
      return d->scalar([&](Tape& t) { t.null(); }, nullptr);
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
  };

  enum class Mode : std::uint8_t { Normal, Skip, Capture };

  std::string file;
  PathResolver& resolver;
  support::WithProblems<model::ScanSet> out;
  ProblemSink sink;
  SourceCache sources;
  json::basic_parser<Handler> parser;

  std::vector<FrameState> frames;
  Mode mode = Mode::Normal;
  std::size_t depth = 0;       // nesting inside a skipped or captured value
  bool midString = false;      // a string (value) is being delivered in parts
  bool midScalarRecord = false;
  std::string key;             // skeleton-level key being assembled
  std::string scalarText;      // skeleton-level string value being assembled (version, $schema)

  // The capture in progress: recorded into `rec`, which is `stack` or the batch being filled.
  Slot captureSlot = Slot::Ignored;
  std::uint32_t captureIndex = 0;
  Tape stack;
  Tape* rec = &stack;
  Tape::Mark captureMark;

  // The conversion pipeline. `filling` is recorded by the parsing thread; `queued` batches wait
  // for the converter, which converts the front one; `spares` are converted batches whose
  // buffers are reused. The converter thread is started by the first full batch, so small logs
  // are converted inline.
  bool pipelined = secondCoreAvailable();
  std::unique_ptr<ResultBatch> filling;
  std::deque<std::unique_ptr<ResultBatch>> queued;  // handed over; the front is being converted
  std::vector<std::unique_ptr<ResultBatch>> spares;
  std::thread converter;
  std::mutex mutex;
  std::condition_variable cv;
  bool stopping = false;
  UriNumbers uriNumbers;  // the recording thread's
  std::exception_ptr converterError;
  bool ahead = false;  // the converter had kPrepareWhenQueued batches to go at the last hand-over

  // Document-level facts.
  bool sawRoot = false;
  bool rootIsObject = false;
  bool sawRuns = false;
  bool runsNull = false;
  std::optional<std::string> version;
  const char* versionType = nullptr;  // set when version is not a string
  std::optional<std::string> schema;
  std::uint32_t runCount = 0;
  std::uint32_t usableRuns = 0;
  std::unique_ptr<RunBuilder> run;
  std::uint32_t runIndex = 0;

  // The results vector's storage as the converter sized it for the last estimate it reached
  // (guarded by `mutex`), and how many estimates the parsing thread queued and adopted.
  struct {
    char* base = nullptr;
    std::size_t capacity = 0;
    std::size_t size = 0;
    std::uint64_t generation = 0;
  } published;
  std::uint64_t estimatesQueued = 0;
  std::uint64_t adopted = 0;

  // Prefaulting the results vector (see prefaultResults): its storage as reserved, an upper
  // bound on how many results it holds, and how far it has been faulted in.
  char* resultsBase = nullptr;
  std::size_t resultsCapacity = 0;  // in results
  std::size_t resultsBound = 0;     // >= out.value.results.size() while resultsBase is set
  std::size_t prefaulted = 0;       // bytes from resultsBase

  std::uint64_t consumed = 0;
  std::uint64_t totalBytes = 0;
  std::uint64_t resultsStartedAt = 0;  // consumed when the current results array began
  bool estimated = false;
  bool failed = false;
  bool complete = false;
  bool bomChecked = false;
  std::string stopReason;

  Impl(std::string f, PathResolver& r)
      : file(std::move(f)),
        resolver(r),
        sink(file, out.problems),
        sources(r.root()),
        parser(parseOptions(), this) {}

  ~Impl() {
    if (!converter.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    cv.notify_all();
    converter.join();
  }

  static json::parse_options parseOptions() {
    json::parse_options o;
    o.max_depth = 512;
    o.allow_invalid_utf8 = true;  // checked per kept string, so one bad byte costs one string
    return o;
  }

  // --- paths for problems ---

  std::string skeletonPath() const {
    std::string p;
    for (const auto& f : frames) {
      switch (f.kind) {
        case Frame::Root: break;
        case Frame::Runs: p += "/runs"; break;
        case Frame::Run: p += "/" + std::to_string(runIndex); break;
        case Frame::Results: p += "/results"; break;
        case Frame::Artifacts: p += "/artifacts"; break;
      }
    }
    if (mode == Mode::Capture) {
      if (captureSlot == Slot::ResultElement || captureSlot == Slot::ArtifactElement)
        p += "/" + std::to_string(captureIndex);
      else
        p += std::string("/") + slotName(captureSlot);
    }
    return p;
  }

  // --- skeleton decisions ---

  Slot currentSlot() const noexcept {
    if (frames.empty()) return Slot::Document;
    const FrameState& f = frames.back();
    switch (f.kind) {
      case Frame::Root:
      case Frame::Run: return f.slot;
      case Frame::Runs: return Slot::RunElement;
      case Frame::Results: return Slot::ResultElement;
      case Frame::Artifacts: return Slot::ArtifactElement;
    }
    return Slot::Ignored;
  }

  // Index for an array element slot; advances the frame's counter.
  std::uint32_t takeIndex() { return frames.back().count++; }

  void wrongType(Slot s, const char* expected, const char* found) {
    if (s == Slot::Version) {
      // Decided (fatally) at the end, with the other version checks.
      versionType = found;
      return;
    }
    drain();
    std::string p = skeletonPath();
    if (s == Slot::RunElement) p += "/" + std::to_string(frames.back().count - 1);
    else p += std::string("/") + slotName(s);
    sink.report(ProblemSeverity::Error, std::move(p), std::string(slotName(s)[0] ? slotName(s) : "run") +
                                                          " must be " + expected + ", found " + found + "; ignored");
  }

  void startCapture(Slot s, std::uint32_t index) {
    mode = Mode::Capture;
    depth = 0;
    captureSlot = s;
    captureIndex = index;
    if (pipelined && run) {
      if (!filling) filling = std::make_unique<ResultBatch>();
      filling->builder = run.get();
      filling->runIndex = runIndex;
      filling->tape.numberUris(&uriNumbers);
      rec = &filling->tape;
    } else {
      rec = &stack;
      stack.clear();
    }
    captureMark = rec->mark();
  }

  // Drop the capture in progress (it was cut short or grew too large).
  void abandonCapture() {
    rec->rollback(captureMark);
    rec = &stack;
  }

  // --- the conversion pipeline ---

  void convert(ResultBatch& b) {
    if (b.builder && !b.items.empty()) {
      const PathSeg root{};
      const PathSeg runs = root.child("runs");
      const PathSeg runSeg = runs.at(b.runIndex);
      const PathSeg rs = runSeg.child("results");
      for (const auto& item : b.items) {
        if (item.slot == Slot::ResultElement) [[likely]] {
          const PathSeg p = rs.at(item.index);
          b.builder->result(JsonValue(&b.tape, item.root), item.index, &p);
        } else if (item.slot == Slot::ResultsEstimate) {
          expectResults(*b.builder, item.index);
        } else {
          dispatchTo(*b.builder, item.slot, item.index, runSeg, JsonValue(&b.tape, item.root));
        }
      }
      // Finish what can be finished now, while the results are in the cache: the run's end
      // then leaves little to do, and the parser does not wait for it.
      b.builder->finishReady(resolver);
    }
    if (b.finishAfter) {
      finishRun(*b.finishAfter, b.countRun);
      b.finishAfter.reset();
    }
  }

  void finishRun(RunBuilder& r, bool countIfEmpty) {
    if (r.resultCount() > 0 || countIfEmpty) ++usableRuns;
    r.finish(resolver, sources);
  }

  void convertLoop() {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      cv.wait(lock, [&] { return stopping || !queued.empty(); });
      if (queued.empty()) return;
      ResultBatch* b = queued.front().get();
      lock.unlock();
      try {
        convert(*b);
      } catch (...) {
        lock.lock();
        if (!converterError) converterError = std::current_exception();
        lock.unlock();
      }
      b->converted();
      lock.lock();
      spares.push_back(std::move(queued.front()));
      queued.pop_front();
      cv.notify_all();
    }
  }

  // Called with the lock held: hand `filling` over once the converter is free.
  void handOver(std::unique_lock<std::mutex>& lock) {
    cv.wait(lock, [&] { return queued.size() < kQueuedBatches; });
    adoptResults();
    queued.push_back(std::move(filling));
    if (spares.empty()) {
      filling = std::make_unique<ResultBatch>();
    } else {
      filling = std::move(spares.back());
      spares.pop_back();
    }
    cv.notify_all();
  }

  // The converter writes every result into fresh pages of the results vector, and the first
  // write to each page is a page fault: about a fifth of the faults of a large log, all on the
  // converter, which is the critical path. This thread has time to spare, so it faults the
  // pages in (MADV_POPULATE_WRITE, which leaves their contents alone) a few batches ahead of
  // the converter. The vector cannot be reallocated before it is full, and it cannot be full
  // before this thread has handed over `resultsCapacity` results, so the range stays valid
  // while `resultsBound` is below it.
  void prefaultResults() {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    if (!resultsBase || resultsBound >= resultsCapacity) return;
    constexpr std::size_t kAhead = 4 * kBatchResults;
    constexpr std::size_t kStep = std::size_t(512) << 10;
    const std::size_t want =
        std::min(resultsCapacity, resultsBound + kAhead) * sizeof(model::Result);
    if (want < prefaulted + kStep && want < resultsCapacity * sizeof(model::Result)) return;
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto from = (reinterpret_cast<std::uintptr_t>(resultsBase) + prefaulted + page - 1) & ~(page - 1);
    const auto to = (reinterpret_cast<std::uintptr_t>(resultsBase) + want) & ~(page - 1);
    if (to > from && ::madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE) != 0) {
      resultsBase = nullptr;  // not supported here (older kernel): the converter faults them
      return;
    }
    prefaulted = want;
#endif
  }

  void submit() {
    prefaultResults();
    {
      std::unique_lock<std::mutex> lock(mutex);
      if (!converter.joinable()) converter = std::thread([this] { convertLoop(); });
      handOver(lock);
      ahead = queued.size() >= kPrepareWhenQueued;
      rethrowConverterError(lock);
    }
    filling->tape.clear();  // a converted batch, or a new one
    filling->tape.prepareStrings(ahead);
  }

  // Every result recorded so far is converted when this returns. The batch being filled is
  // converted here rather than handed over: a result may be half recorded on its tape (the
  // reader also drains between input slices), and only this thread may touch it.
  void drain() {
    if (converter.joinable()) {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, [&] { return queued.empty(); });
      rethrowConverterError(lock);
    }
    if (!filling || filling->items.empty()) return;
    convert(*filling);
    filling->items.clear();
    if (rec != &filling->tape) filling->tape.clear();
  }

  void rethrowConverterError(std::unique_lock<std::mutex>& lock) {
    if (!converterError) return;
    std::exception_ptr e = std::exchange(converterError, nullptr);
    lock.unlock();
    std::rethrow_exception(e);
  }

  void startSkip() {
    mode = Mode::Skip;
    depth = 0;
  }

  void startRun(std::uint32_t index) {
    runIndex = index;
    ++runCount;
    run = std::make_unique<RunBuilder>(file, index, sink, out.value);
  }

  void endRun() {
    if (!run) return;
    if (converter.joinable() && mode != Mode::Capture) {
      // The converter finishes the run after its last results; this thread reads on.
      if (!filling) filling = std::make_unique<ResultBatch>();
      filling->builder = run.get();
      filling->runIndex = runIndex;
      filling->finishAfter = std::move(run);
      filling->countRun = !failed;
      submit();
      return;
    }
    drain();
    finishRun(*run, !failed);
    run.reset();
  }

  void deliver() {
    mode = Mode::Normal;
    if (rec != &stack) {
      filling->items.push_back({captureMark.nodes, captureIndex, captureSlot});
      // Every recorded result is converted, by one thread or the other.
      if (captureSlot == Slot::ResultElement) ++resultsBound;
      rec = &stack;
      if (filling->items.size() >= kBatchResults || filling->tape.bytes() >= kBatchBytes) submit();
      return;
    }
    drain();  // earlier results first: problems and the model keep the log's order
    dispatch(JsonValue(&stack, 0));
    stack.clear();  // keeps its buffers for the next subtree
  }

  void dispatch(JsonValue v) {
    if (!run) return;
    const PathSeg root{};
    const PathSeg runs = root.child("runs");
    const PathSeg runSeg = runs.at(runIndex);
    dispatchTo(*run, captureSlot, captureIndex, runSeg, v);
  }

  // Hands one captured member of a run to the run's builder.
  static void dispatchTo(RunBuilder& builder, Slot slot, std::uint32_t index, const PathSeg& runSeg, JsonValue v) {
    switch (slot) {
      case Slot::ResultElement: {
        const PathSeg rs = runSeg.child("results");
        const PathSeg p = rs.at(index);
        builder.result(v, index, &p);
        break;
      }
      case Slot::ArtifactElement: {
        const PathSeg as = runSeg.child("artifacts");
        const PathSeg p = as.at(index);
        builder.artifact(v, index, &p);
        break;
      }
      case Slot::Tool: {
        const PathSeg p = runSeg.child("tool");
        builder.tool(v, &p);
        break;
      }
      case Slot::BaseIds: {
        const PathSeg p = runSeg.child("originalUriBaseIds");
        builder.originalUriBaseIds(v, &p);
        break;
      }
      case Slot::Provenance: {
        const PathSeg p = runSeg.child("versionControlProvenance");
        builder.versionControlProvenance(v, &p);
        break;
      }
      case Slot::Automation: {
        const PathSeg p = runSeg.child("automationDetails");
        builder.automationDetails(v, &p);
        break;
      }
      case Slot::Taxonomies: {
        const PathSeg p = runSeg.child("taxonomies");
        builder.taxonomies(v, &p);
        break;
      }
      case Slot::ColumnKind: {
        const PathSeg p = runSeg.child("columnKind");
        builder.columnKind(v, &p);
        break;
      }
      default: break;
    }
  }

  // Account for `n` more bytes in the capture; past the limit the capture turns into a skip.
  // Called for every event of a capture: the check stays inline, the rare overflow does not.
  void growCapture(std::size_t n) {
    // Measured on the tape itself, so empty containers and small numbers count at their real
    // cost (a node each), not just the characters.
    if (rec->bytesSince(captureMark) + n <= kMaxCaptureBytes) [[likely]]
      return;
    captureTooLarge();
  }

  [[gnu::noinline]] void captureTooLarge() {
    // Drop what was built and skip the rest of the value at the current depth.
    const std::string where = skeletonPath();
    abandonCapture();
    mode = Mode::Skip;
    drain();
    sink.report(ProblemSeverity::Error, where,
                "value is larger than " + std::to_string(kMaxCaptureBytes >> 20) + " MB; skipped");
  }

  // --- events ---

  bool containerBegin(bool isObject) {
    if (mode != Mode::Normal) {
      if (mode == Mode::Capture) {
        growCapture(0);
        if (mode == Mode::Capture) rec->begin(isObject);
      }
      ++depth;
      return true;
    }
    const Slot s = currentSlot();
    if (s == Slot::Document) {
      sawRoot = true;
      if (!isObject) {
        startSkip();
        ++depth;
        return true;
      }
      rootIsObject = true;
      frames.push_back({Frame::Root});
      return true;
    }
    if (isCaptured(s)) {
      std::uint32_t index = 0;
      if (s == Slot::ResultElement || s == Slot::ArtifactElement) index = takeIndex();
      startCapture(s, index);
      rec->begin(isObject);
      ++depth;
      return true;
    }
    switch (s) {
      case Slot::Runs:
        sawRuns = true;
        if (isObject) {
          wrongType(s, "an array", "an object");
          break;
        }
        frames.push_back({Frame::Runs});
        return true;
      case Slot::RunElement: {
        const std::uint32_t index = takeIndex();
        if (!isObject) {
          wrongType(s, "an object", "an array");
          break;
        }
        startRun(index);
        frames.push_back({Frame::Run});
        return true;
      }
      case Slot::Results:
      case Slot::Artifacts:
        if (isObject) {
          wrongType(s, "an array", "an object");
          break;
        }
        frames.push_back({s == Slot::Results ? Frame::Results : Frame::Artifacts});
        if (s == Slot::Results) {
          resultsStartedAt = consumed;
          estimated = false;
        }
        return true;
      case Slot::Version:
      case Slot::Schema:
        wrongType(s, "a string", isObject ? "an object" : "an array");
        break;
      default: break;
    }
    startSkip();
    ++depth;
    return true;
  }

  bool containerEnd(bool isObject, std::size_t n) {
    if (mode == Mode::Capture) {
      (void)isObject;
      rec->end(n);
      if (--depth == 0) deliver();
      return true;
    }
    if (mode == Mode::Skip) {
      if (--depth == 0) mode = Mode::Normal;
      return true;
    }
    if (frames.empty()) return true;
    const Frame f = frames.back().kind;
    frames.pop_back();
    if (f == Frame::Run) endRun();
    if (f == Frame::Root) complete = true;
    return true;
  }

  bool keyPart(json::string_view s, bool last) {
    if (mode == Mode::Capture) {
      growCapture(s.size());
      if (mode != Mode::Capture) return true;
      if (last) rec->key(s);
      else rec->keyPart(s);
      return true;
    }
    if (mode == Mode::Skip) return true;
    if (!last) {
      key.append(s.data(), s.size());
      return true;
    }
    std::string_view k(s.data(), s.size());
    if (!key.empty()) {
      key.append(s.data(), s.size());
      k = key;
    }
    if (!frames.empty()) {
      FrameState& f = frames.back();
      if (f.kind == Frame::Root) f.slot = rootMember(k);
      else if (f.kind == Frame::Run) f.slot = runMember(k);
    }
    key.clear();
    return true;
  }

  // A scalar at skeleton level (normal mode): decide what to do with it.
  // Returns true when the scalar starts a capture.
  bool scalarAtSkeleton(const char* found, bool isNull) {
    const Slot s = currentSlot();
    if (s == Slot::Document) {
      sawRoot = true;
      return false;
    }
    if (isCaptured(s)) {
      std::uint32_t index = 0;
      if (s == Slot::ResultElement || s == Slot::ArtifactElement) index = takeIndex();
      startCapture(s, index);
      return true;
    }
    switch (s) {
      case Slot::Runs:
        sawRuns = true;
        if (isNull) runsNull = true;
        else wrongType(s, "an array", found);
        break;
      case Slot::RunElement:
        takeIndex();
        wrongType(s, "an object", found);
        break;
      case Slot::Results:
      case Slot::Artifacts:
        if (!isNull) wrongType(s, "an array", found);
        break;
      case Slot::Version:
      case Slot::Schema:
        wrongType(s, "a string", found);
        break;
      default: break;
    }
    return false;
  }

  // `found` names the kind for problems; null for JSON null.
  template <typename Push>
  bool scalar(Push push, const char* found) {
    if (mode == Mode::Skip) {
      if (depth == 0) mode = Mode::Normal;
      return true;
    }
    if (mode == Mode::Normal) {
      if (!scalarAtSkeleton(found ? found : "null", found == nullptr)) return true;
    }
    growCapture(8);
    if (mode != Mode::Capture) {
      if (depth == 0) mode = Mode::Normal;
      return true;
    }
    push(*rec);
    if (depth == 0) deliver();
    return true;
  }

  bool stringPart(json::string_view s, bool last) {
    if (!midString) {
      midString = true;
      if (mode == Mode::Normal) {
        const Slot slot = currentSlot();
        if (slot == Slot::Version || slot == Slot::Schema) {
          midScalarRecord = true;
          scalarText.clear();
        } else if (!scalarAtSkeleton("a string", false)) {
          // Not kept: deliver the remaining parts into the void.
          startSkip();
        }
      }
    }
    if (last) midString = false;
    if (midScalarRecord) {
      if (scalarText.size() < 4096) scalarText.append(s.data(), std::min<std::size_t>(s.size(), 4096));
      if (last) {
        midScalarRecord = false;
        const Slot slot = currentSlot();
        std::string v = support::sanitizeUtf8(scalarText);
        if (slot == Slot::Version) version = std::move(v);
        else schema = std::move(v);
      }
      return true;
    }
    if (mode == Mode::Skip) {
      if (last && depth == 0) mode = Mode::Normal;
      return true;
    }
    if (mode == Mode::Capture) {
      growCapture(s.size());
      if (mode != Mode::Capture) {
        if (last && depth == 0) mode = Mode::Normal;
        return true;
      }
      if (last) {
        rec->string(s);
        if (depth == 0) deliver();
      } else {
        rec->stringPart(s);
      }
    }
    return true;
  }

  // --- driving ---

  bool write(std::string_view bytes) {
    if (failed || !stopReason.empty()) return false;
    if (!bomChecked) {
      // Byte order marks: UTF-8's is skipped (several tools write it); UTF-16 logs are refused.
      bomChecked = true;
      if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
        consumed += 3;
      } else if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
        sink.report(ProblemSeverity::Fatal, "", "the log is UTF-16 encoded; SARIF files must be UTF-8");
        failed = true;
        fatalEncoding = true;
        return false;
      }
    }
    // Slices of 64 KiB: `consumed` then tells where results start closely enough to estimate
    // their density (the handler is not told byte positions).
    constexpr std::size_t kSlice = 64 * 1024;
    while (!bytes.empty()) {
      if (complete) return trailing(bytes);
      estimateResults();
      const std::string_view slice = bytes.substr(0, kSlice);
      bytes.remove_prefix(slice.size());
      json::error_code ec;
      const std::size_t n = parser.write_some(true, slice.data(), slice.size(), ec);
      consumed += n;
      if (ec) {
        syntaxError(ec);
        return false;
      }
      if (n < slice.size()) {
        trailing(slice.substr(n));
        return trailing(bytes);
      }
    }
    return true;
  }

  // Between chunks: once a results array has shown its density, size the run's vectors for
  // the rest of the file (results dominate a log's bytes).
  void estimateResults() {
    if (estimated || !run || totalBytes == 0 || frames.empty() || frames.back().kind != Frame::Results) return;
    const std::uint64_t n = frames.back().count;
    const std::uint64_t span = consumed - resultsStartedAt;
    if (n < 2048 || span == 0) return;
    estimated = true;
    const double perByte = static_cast<double>(n) / static_cast<double>(span);
    const double rest = static_cast<double>(totalBytes > consumed ? totalBytes - consumed : 0);
    // Generous: capacity that is never written costs address space, not resident memory, while
    // an estimate that falls short moves every result read so far, and the old storage may stay
    // resident (a block carved from a heap's top is not given back). Twice the extrapolation:
    // a log whose first run has larger results than the rest (code flows, pretty-printed)
    // fell short at 1.5x.
    const auto guess = static_cast<std::size_t>(static_cast<double>(n) + rest * perByte * 2.0);
    const auto expected = static_cast<std::uint32_t>(std::min<std::size_t>(guess, std::size_t(1) << 26));
    if (pipelined) {
      // The converter may still be converting this run's results, or finishing the previous
      // run: it sizes the vectors when it reaches this point of the log, in order. A result
      // being recorded now is queued after it. Until the converter tells the new storage
      // (adoptResults), nothing is prefaulted.
      if (!filling) filling = std::make_unique<ResultBatch>();
      filling->builder = run.get();
      filling->runIndex = runIndex;
      filling->items.push_back({0, expected, Slot::ResultsEstimate});
      ++estimatesQueued;
      resultsBase = nullptr;
      return;
    }
    run->expectResults(expected);
  }

  // Sizes the run's vectors; on the converter when it runs. Publishes the results vector's new
  // storage for prefaultResults, which the parsing thread adopts at its next hand-over.
  void expectResults(RunBuilder& r, std::size_t n) {
    r.expectResults(n);
    const auto& results = out.value.results;
    std::lock_guard<std::mutex> lock(mutex);
    published.base = reinterpret_cast<char*>(const_cast<model::Result*>(results.data()));
    published.capacity = results.capacity();
    published.size = results.size();
    ++published.generation;
  }

  // Called by the parsing thread with the lock held. Only the storage sized for the last
  // estimate queued is adopted: an earlier one may be reallocated by a later estimate.
  void adoptResults() {
    if (published.generation != estimatesQueued || adopted == estimatesQueued) return;
    adopted = published.generation;
    resultsBase = published.base;
    resultsCapacity = published.capacity;
    prefaulted = published.size * sizeof(model::Result);
    // resultsBound counts every result recorded so far; the converter had converted
    // published.size of them, so the bound still holds.
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // The vector is the largest block of the model (half a kilobyte per result). Backed by
    // 2 MiB pages where the kernel allows it (transparent huge pages in `madvise` mode, the
    // default), prefaulting it takes one fault per 2 MiB instead of one per 4 KiB: about 6 %
    // less CPU for a 100k log. A kernel that refuses leaves it as it was.
    constexpr std::uintptr_t kHuge = std::uintptr_t(2) << 20;
    const auto start = reinterpret_cast<std::uintptr_t>(resultsBase);
    const auto from = (start + kHuge - 1) & ~(kHuge - 1);
    const auto to = (start + resultsCapacity * sizeof(model::Result)) & ~(kHuge - 1);
    if (to > from) (void)::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
#endif
  }

  bool trailingReported = false;
  bool fatalEncoding = false;

  bool trailing(std::string_view rest) {
    for (char c : rest) {
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        if (!trailingReported) {
          trailingReported = true;
          drain();
          sink.report(ProblemSeverity::Warning, "",
                      "unexpected data after the end of the JSON document at byte " + std::to_string(consumed) +
                          "; ignored");
        }
        break;
      }
    }
    consumed += rest.size();
    return true;
  }

  void syntaxError(const json::error_code& ec) {
    failed = true;
    std::string where = skeletonPath();
    std::string what;
    if (ec == json::error::incomplete) {
      what = "the file ends in the middle of the JSON document (truncated?)";
    } else {
      what = "invalid JSON at byte " + std::to_string(consumed) + ": " + ec.message();
    }
    if (mode == Mode::Capture) what += "; this value and everything after it were skipped";
    syntaxMessage = std::move(what);
    syntaxPath = std::move(where);
  }

  std::string syntaxMessage;
  std::string syntaxPath;

  support::WithProblems<model::ScanSet> finishAll() {
    if (!failed && stopReason.empty()) {
      if (consumed == 0 && !sawRoot) {
        sink.report(ProblemSeverity::Fatal, "", "the file is empty");
        sink.flushSummaries();
        return std::move(out);
      }
      json::error_code ec;
      if (!complete) {
        parser.write_some(false, nullptr, 0, ec);
        if (ec) syntaxError(ec);
      }
    }
    if (fatalEncoding) {
      sink.flushSummaries();
      return std::move(out);
    }
    // Keep the results that were complete before the input stopped.
    if (mode == Mode::Capture) {
      abandonCapture();
      mode = Mode::Normal;
    }
    drain();
    endRun();
    drain();  // the converter may be finishing the last run

    const bool usable = !out.value.results.empty() || usableRuns > 0;
    if (!syntaxMessage.empty()) {
      sink.report(usable ? ProblemSeverity::Error : ProblemSeverity::Fatal, syntaxPath,
                  syntaxMessage + (usable ? "; " + std::to_string(out.value.results.size()) +
                                                " results read before it were kept"
                                          : ""));
    }
    if (!stopReason.empty()) {
      sink.report(ProblemSeverity::Error, skeletonPath(),
                  stopReason + "; " + std::to_string(out.value.results.size()) + " results read before it were kept");
    }

    // Version check: only SARIF 2.1.0 is read. It is done last because several tools (Bandit,
    // gosec, Semgrep) write `version` after the runs.
    bool versionOk = true;
    if (!sawRoot || !rootIsObject) {
      if (syntaxMessage.empty())
        sink.report(ProblemSeverity::Fatal, "", "not a SARIF log: the top-level JSON value is not an object");
      versionOk = false;
    } else if (versionType) {
      sink.report(ProblemSeverity::Fatal, "/version",
                  std::string("version must be the string \"2.1.0\", found ") + versionType);
      versionOk = false;
    } else if (version) {
      if (*version != "2.1.0") {
        sink.report(ProblemSeverity::Fatal, "/version",
                    "unsupported SARIF version \"" + *version + "\"; only 2.1.0 is read");
        versionOk = false;
      }
    } else if (schema && schema->find("2.1.0") != std::string::npos) {
      sink.report(ProblemSeverity::Warning, "/version", "version is missing; read as 2.1.0 as $schema says");
    } else if (!syntaxMessage.empty() && usable) {
      // Several tools write `version` after the runs; a cut file may never reach it.
      sink.report(ProblemSeverity::Warning, "/version",
                  "the input ended before the version member; read as SARIF 2.1.0");
    } else if (syntaxMessage.empty()) {
      sink.report(ProblemSeverity::Fatal, "/version", "version is missing and $schema does not name SARIF 2.1.0");
      versionOk = false;
    }
    if (!versionOk) {
      // Nothing of a log in an unknown version is trusted: drop what was read and its problems.
      support::Problems keep;
      for (auto& p : out.problems)
        if (p.severity == ProblemSeverity::Fatal) keep.push_back(std::move(p));
      out.problems = std::move(keep);
      out.value = {};
      return std::move(out);
    }
    if (rootIsObject && !sawRuns && syntaxMessage.empty()) {
      sink.report(ProblemSeverity::Fatal, "/runs", "the log has no runs");
    } else if (runsNull) {
      sink.report(ProblemSeverity::Warning, "/runs", "runs is null: the tool did not produce results");
    }
    sink.flushSummaries();
    return std::move(out);
  }
};

SarifStream::SarifStream(std::string displayPath, PathResolver& resolver, std::uint64_t totalBytes, bool parallel)
    : d_(std::make_unique<Impl>(std::move(displayPath), resolver)) {
  d_->totalBytes = totalBytes;
  d_->pipelined = parallel && secondCoreAvailable();
}

SarifStream::~SarifStream() = default;

bool SarifStream::write(std::string_view bytes) { return d_->write(bytes); }

void SarifStream::abandon(std::string reason) {
  if (d_->stopReason.empty()) d_->stopReason = std::move(reason);
}

support::WithProblems<model::ScanSet> SarifStream::finish() { return d_->finishAll(); }

std::uint64_t SarifStream::bytesConsumed() const noexcept { return d_->consumed; }

}  // namespace aspm::ingest::sarif
