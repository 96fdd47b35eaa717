// Measures the store's live path on a real aspm-store process: (1) fan-out latency of the event
// stream, from a write's acknowledgement at the writer (and, since the event may overtake the
// acknowledgement, from the request's sending) to the event's arrival at each of N subscribers
// (p50/p95/p99 over every subscriber and write), and (2) decision writes per second
// from several concurrent clients on keep-alive connections. Not a test: it prints figures (see
// docs/benchmarks.md). Usage:
//   store_bench [--db URL] [--subscribers 100] [--events 300] [--pace-ms 10]
//               [--writers 8] [--writes 20000]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kBinary = std::string(ASPM_BIN_DIR) + "/aspm-store";

std::string run(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

int connectTo(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool sendAll(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const auto n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one response with Content-Length; returns the status (0 on failure).
int readResponse(int fd, std::string& buf) {
  for (;;) {
    const auto end = buf.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto cl = buf.find("Content-Length: ");
      const std::size_t length = cl != std::string::npos && cl < end ? std::strtoul(buf.c_str() + cl + 16, nullptr, 10) : 0;
      if (buf.size() >= end + 4 + length) {
        const int status = std::atoi(buf.c_str() + 9);
        buf.erase(0, end + 4 + length);
        return status;
      }
    }
    char chunk[8192];
    const auto n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return 0;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string putRequest(const std::string& project, const std::string& fp, const std::string& token) {
  const std::string body = R"({"status":"false_positive","reason":"benchmark"})";
  return "PUT /v1/projects/" + project + "/decisions/" + fp + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
         token + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string db;
  int subscribers = 100, events = 300, paceMs = 10, writers = 8, writes = 20000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const std::string v = argv[i + 1];
    if (a == "--db") db = v;
    else if (a == "--subscribers") subscribers = std::atoi(v.c_str());
    else if (a == "--events") events = std::atoi(v.c_str());
    else if (a == "--pace-ms") paceMs = std::atoi(v.c_str());
    else if (a == "--writers") writers = std::atoi(v.c_str());
    else if (a == "--writes") writes = std::atoi(v.c_str());
    else {
      std::cerr << "store_bench: unknown option " << a << "\n";
      return 2;
    }
  }
  fs::path dir;
  if (db.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "aspm-store-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return 1;
    dir = tmpl;
    db = "sqlite:" + (dir / "store.db").string();
  }
  const std::string token = run("'" + kBinary + "' token create --db '" + db + "' --project bench --role admin --name bench");
  if (token.empty()) {
    std::cerr << "store_bench: token create failed\n";
    return 1;
  }
  int out[2];
  if (pipe(out) != 0) return 1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(kBinary.c_str(), kBinary.c_str(), "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0", "--event-queue-limit",
          "100000", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(out[0]);
  const int port = std::atoi(line.c_str() + line.rfind(':') + 1);
  if (port <= 0) {
    std::cerr << "store_bench: aspm-store did not start: " << line << "\n";
    return 1;
  }

  // ---- 1. Fan-out latency ----
  std::vector<int> subs;
  for (int i = 0; i < subscribers; ++i) {
    const int fd = connectTo(port);
    const std::string req = "GET /v1/projects/bench/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            "Authorization: Bearer " + token + "\r\n\r\n";
    if (fd < 0 || !sendAll(fd, req)) return 1;
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
      char b[1024];
      const auto n = recv(fd, b, sizeof b, 0);
      if (n <= 0) return 1;
      head.append(b, static_cast<std::size_t>(n));
    }
    if (head.compare(9, 3, "200") != 0) {
      std::cerr << "store_bench: the events request failed: " << head << "\n";
      return 1;
    }
    subs.push_back(fd);
  }
  // One thread reads every subscriber and stamps each event id as it completes.
  std::vector<std::vector<Clock::time_point>> received(static_cast<std::size_t>(subscribers),
                                                       std::vector<Clock::time_point>(static_cast<std::size_t>(events) + 1));
  std::atomic<int> complete{0};
  std::thread reader([&] {
    std::vector<std::string> bufs(subs.size());
    std::vector<int> seen(subs.size(), 0);
    std::vector<pollfd> fds;
    for (int fd : subs) fds.push_back({fd, POLLIN, 0});
    while (complete.load() < subscribers) {
      if (poll(fds.data(), fds.size(), 1000) <= 0) continue;
      const auto now = Clock::now();
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (!(fds[i].revents & POLLIN)) continue;
        char b[65536];
        const auto n = recv(fds[i].fd, b, sizeof b, 0);
        if (n <= 0) {
          fds[i].fd = -1;
          ++complete;
          continue;
        }
        bufs[i].append(b, static_cast<std::size_t>(n));
        std::size_t end;
        while ((end = bufs[i].find("\n\n")) != std::string::npos) {
          if (bufs[i].starts_with("id: ")) {
            const int id = std::atoi(bufs[i].c_str() + 4);
            if (id >= 1 && id <= events) received[i][static_cast<std::size_t>(id)] = now;
            if (++seen[i] == events) ++complete;
          }
          bufs[i].erase(0, end + 2);
        }
      }
    }
  });
  std::vector<Clock::time_point> sent(static_cast<std::size_t>(events) + 1);
  std::vector<Clock::time_point> acked(static_cast<std::size_t>(events) + 1);
  {
    const int fd = connectTo(port);
    std::string buf;
    for (int i = 1; i <= events; ++i) {
      const auto due = Clock::now() + std::chrono::milliseconds(paceMs);
      sent[static_cast<std::size_t>(i)] = Clock::now();
      if (!sendAll(fd, putRequest("bench", "fan-" + std::to_string(i), token)) || readResponse(fd, buf) != 200) {
        std::cerr << "store_bench: write " << i << " failed\n";
        return 1;
      }
      acked[static_cast<std::size_t>(i)] = Clock::now();
      std::this_thread::sleep_until(due);  // pacing the writer, not waiting for a result
    }
    close(fd);
  }
  reader.join();
  std::vector<double> latency, fromSend;
  int early = 0;
  for (const auto& r : received)
    for (int i = 1; i <= events; ++i) {
      const auto at = r[static_cast<std::size_t>(i)];
      const auto d = std::chrono::duration<double, std::milli>(at - acked[static_cast<std::size_t>(i)]).count();
      if (d < 0) ++early;
      latency.push_back(std::max(0.0, d));
      fromSend.push_back(std::chrono::duration<double, std::milli>(at - sent[static_cast<std::size_t>(i)]).count());
    }
  for (int fd : subs) close(fd);
  std::printf("fan-out: %d subscribers x %d writes (one every %d ms): ack -> event p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, "
              "max %.2f ms (%d of %zu events arrived before the writer read its ack, counted as 0)\n",
              subscribers, events, paceMs, percentile(latency, 50), percentile(latency, 95), percentile(latency, 99),
              percentile(latency, 100), early, latency.size());
  std::printf("fan-out: request sent -> event p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n", percentile(fromSend, 50),
              percentile(fromSend, 95), percentile(fromSend, 99), percentile(fromSend, 100));

  // ---- 2. Writes per second ----
  // The server's CPU time over the phase tells whether it or the machine was the limit.
  auto serverCpu = [pid] {
    FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    if (!f) return 0.0;
    char text[1024] = {};
    const std::size_t n = std::fread(text, 1, sizeof text - 1, f);
    std::fclose(f);
    const char* p = std::strrchr(text, ')');
    if (!p || n == 0) return 0.0;
    unsigned long utime = 0, stime = 0;
    // Fields after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime.
    if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return 0.0;
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  };
  const double cpu0 = serverCpu();
  std::atomic<int> failed{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      const int fd = connectTo(port);
      std::string buf;
      for (int i = w; i < writes; i += writers)
        if (!sendAll(fd, putRequest("bench", "w-" + std::to_string(i), token)) || readResponse(fd, buf) != 200) ++failed;
      close(fd);
    });
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = serverCpu() - cpu0;
  std::printf("writes: %d decisions from %d concurrent clients in %.2f s: %.0f writes/s (%d failed); server CPU %.2f s "
              "(%.0f us per write)\n",
              writes, writers, secs, writes / secs, failed.load(), cpu, cpu / writes * 1e6);

  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!dir.empty()) fs::remove_all(dir);
  return failed.load() == 0 ? 0 : 1;
}
