// ingest_bench: one measurement of one way of loading a SARIF file, in a fresh process.
//
// Peak memory is a per-process figure (VmHWM), so each mode runs alone in its own process and
// the driver (run.sh) interleaves the processes and takes medians. Every mode includes reading
// the file, because that is what a user waits for:
//   read    read the file into memory and do nothing else (I/O and page-cache cost)
//   noop    read in 1 MiB chunks through a boost::json::basic_parser whose handler does
//           nothing: the floor for any streaming JSON reader
//   dom     read the whole file, then boost::json::parse it into a DOM: the naive approach
//   ingest  aspm::ingest::ingestFile: file -> indexed model (runs, rules, results), the product
//   ingest1 the same on one thread (IngestOptions::convertInParallel off): the baseline for the
//           second thread's gain
// Output is one line of key=value pairs on stdout, so a shell script can pick it apart.
// `thread_cpu_seconds` is the CPU time of the main thread alone: the reader converts results on
// a second thread, so on a machine with a free core the wall time approaches the larger of that
// and the rest (cpu_seconds - thread_cpu_seconds), whatever the load when measured.
#include <fcntl.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/ingest.h"
#include "support/process.h"

namespace {

// The process's peak resident set (VmHWM) in KiB, 0 when /proc is not available.
long peakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return 0;
}

// User + system CPU time of this process. On a shared machine wall time moves with the load;
// CPU time mostly does not, so both are reported.
double cpuSeconds() {
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

double threadCpuSeconds() {
  timespec ts{};
  if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The whole file in one uninitialised buffer (no zero-fill: that would be measured too).
struct Bytes {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
};

bool readWhole(const char* path, Bytes& out, std::string& error) {
  Fd f{::open(path, O_RDONLY | O_CLOEXEC)};
  struct stat st {};
  if (f.fd < 0 || ::fstat(f.fd, &st) != 0) {
    error = std::strerror(errno);
    return false;
  }
  out.size = static_cast<std::size_t>(st.st_size);
  out.data = std::make_unique_for_overwrite<char[]>(out.size);
  std::size_t done = 0;
  while (done < out.size) {
    const ssize_t n = ::read(f.fd, out.data.get() + done, out.size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n == 0 ? "file shrank while reading" : std::strerror(errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// A handler that accepts everything and counts events, so the pass cannot be optimised away.
struct NoopHandler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  using ec_t = boost::json::error_code;
  using sv = boost::json::string_view;
  std::uint64_t events = 0;

  bool on_document_begin(ec_t&) { return ++events, true; }
  bool on_document_end(ec_t&) { return ++events, true; }
  bool on_array_begin(ec_t&) { return ++events, true; }
  bool on_array_end(std::size_t, ec_t&) { return ++events, true; }
  bool on_object_begin(ec_t&) { return ++events, true; }
  bool on_object_end(std::size_t, ec_t&) { return ++events, true; }
  bool on_string_part(sv, std::size_t, ec_t&) { return true; }
  bool on_string(sv, std::size_t, ec_t&) { return ++events, true; }
  bool on_key_part(sv, std::size_t, ec_t&) { return true; }
  bool on_key(sv, std::size_t, ec_t&) { return ++events, true; }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t, sv, ec_t&) { return ++events, true; }
  bool on_uint64(std::uint64_t, sv, ec_t&) { return ++events, true; }
  bool on_double(double, sv, ec_t&) { return ++events, true; }
  bool on_bool(bool, ec_t&) { return ++events, true; }
  bool on_null(ec_t&) { return ++events, true; }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

struct Outcome {
  bool ok = false;
  std::uint64_t bytes = 0;
  std::string detail;  // key=value pairs describing what was loaded
  std::string error;
};

Outcome runRead(const char* path) {
  Outcome o;
  Bytes b;
  if (!readWhole(path, b, o.error)) return o;
  o.bytes = b.size;
  o.ok = true;
  return o;
}

Outcome runNoop(const char* path) {
  Outcome o;
  Fd f{::open(path, O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    o.error = std::strerror(errno);
    return o;
  }
  boost::json::basic_parser<NoopHandler> parser{boost::json::parse_options{}};
  constexpr std::size_t kChunk = 1 << 20;
  auto buf = std::make_unique_for_overwrite<char[]>(kChunk);
  boost::json::error_code ec;
  for (;;) {
    const ssize_t n = ::read(f.fd, buf.get(), kChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      o.error = std::strerror(errno);
      return o;
    }
    o.bytes += static_cast<std::uint64_t>(n);
    parser.write_some(n > 0, buf.get(), static_cast<std::size_t>(n), ec);
    if (ec) {
      o.error = "JSON error at byte " + std::to_string(o.bytes) + ": " + ec.message();
      return o;
    }
    if (n == 0) break;
  }
  o.detail = "events=" + std::to_string(parser.handler().events);
  o.ok = true;
  return o;
}

Outcome runDom(const char* path, boost::json::value& keep) {
  Outcome o;
  Bytes b;
  if (!readWhole(path, b, o.error)) return o;
  o.bytes = b.size;
  boost::json::error_code ec;
  keep = boost::json::parse(std::string_view(b.data.get(), b.size), ec);
  if (ec) {
    o.error = ec.message();
    return o;
  }
  const auto* runs = keep.is_object() ? keep.as_object().if_contains("runs") : nullptr;
  o.detail = "runs=" + std::to_string(runs && runs->is_array() ? runs->as_array().size() : 0);
  o.ok = true;
  return o;
}

Outcome runIngest(const char* path, aspm::support::WithProblems<aspm::model::ScanSet>& keep, bool parallel) {
  Outcome o;
  aspm::ingest::IngestOptions options;
  options.convertInParallel = parallel;
  keep = aspm::ingest::ingestFile(path, options);
  struct stat st {};
  o.bytes = ::stat(path, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  std::size_t rules = 0;
  for (const auto& run : keep.value.runs) rules += run.rules.size();
  std::size_t fatal = 0;
  for (const auto& p : keep.problems)
    if (p.severity == aspm::support::ProblemSeverity::Fatal) ++fatal;
  o.detail = "results=" + std::to_string(keep.value.results.size()) + " runs=" + std::to_string(keep.value.runs.size()) +
             " rules=" + std::to_string(rules) + " problems=" + std::to_string(keep.problems.size());
  // A generated log should load cleanly; show what the reader objected to.
  for (std::size_t i = 0; i < keep.problems.size() && i < 3; ++i)
    std::fprintf(stderr, "ingest_bench: problem %s: %s\n", keep.problems[i].path.c_str(),
                 keep.problems[i].message.c_str());
  if (fatal > 0) {
    o.error = "fatal problem: " + keep.problems.front().path + ": " + keep.problems.front().message;
    return o;
  }
  o.ok = true;
  return o;
}

void usage(std::FILE* to) {
  std::fputs(
      "usage: ingest_bench MODE FILE | --list-modes\n"
      "MODE: one of --list-modes\n"
      "Loads FILE once and prints: mode=M seconds=S cpu_seconds=C peak_rss_kb=K bytes=B [details]\n",
      to);
}

}  // namespace

// The modes this build supports, so run.sh can tell what it may ask for.
constexpr const char* kModes = "read noop dom ingest1 ingest";

int main(int argc, char** argv) {
  aspm::support::tuneAllocator(argv);
  if (argc == 2 && std::string_view(argv[1]) == "--list-modes") {
    std::puts(kModes);
    return 0;
  }
  if (argc != 3) {
    usage(stderr);
    return 2;
  }
  const std::string_view mode = argv[1];
  const char* path = argv[2];

  // Results stay alive until the figures are taken, as they would in a real load.
  boost::json::value dom;
  aspm::support::WithProblems<aspm::model::ScanSet> model;
  const double cpuStart = cpuSeconds();
  const double threadCpuStart = threadCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  Outcome o;
  if (mode == "read") {
    o = runRead(path);
  } else if (mode == "noop") {
    o = runNoop(path);
  } else if (mode == "dom") {
    o = runDom(path, dom);
  } else if (mode == "ingest") {
    o = runIngest(path, model, true);
  } else if (mode == "ingest1") {
    o = runIngest(path, model, false);
  } else {
    usage(stderr);
    return 2;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpuSeconds() - cpuStart;
  const double threadCpu = threadCpuSeconds() - threadCpuStart;
  const long peak = peakRssKb();
  if (!o.ok) {
    std::fprintf(stderr, "ingest_bench: %s %s: %s\n", argv[1], path, o.error.c_str());
    return 1;
  }
  std::printf("mode=%s seconds=%.6f cpu_seconds=%.6f thread_cpu_seconds=%.6f peak_rss_kb=%ld bytes=%llu%s%s\n",
              argv[1], seconds, cpu, threadCpu, peak,
              static_cast<unsigned long long>(o.bytes), o.detail.empty() ? "" : " ", o.detail.c_str());
  return 0;
}
