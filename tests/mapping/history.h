// A synthetic but realistic code history for the mapping benchmark: C, C++, Python and JavaScript files
// made of functions with security-relevant calls, evolved commit by commit through the edits
// developers make (insertions above findings, reformatting, re-indenting, functions moved
// within and across files, renames and splits of files, deleted and rewritten code). Every
// line carries an identity, so where a scanned line is at any later commit is known exactly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace aspm::mapping::bench {

enum class Lang { C, Cpp, Python, JavaScript };

struct Line {
  std::uint64_t id = 0;  // 0: structural (blank separators), never a finding's line
  std::string text;
};

struct Function {
  std::string name;
  std::vector<Line> lines;  // header .. closing line
};

struct File {
  std::string path;
  Lang lang = Lang::C;
  std::vector<Line> header;
  std::vector<Function> functions;
};

struct Where {
  std::string path;
  std::uint32_t line = 0;  // 1-based
};

class History {
 public:
  // `scale` multiplies the number of files (35 at scale 1); the same seed and scale give the
  // same history on every machine.
  explicit History(std::uint32_t seed, std::uint32_t scale = 1);

  // Apply one commit's worth of random edits (1-3); returns a short description.
  std::string step();

  // Rendered files, by path.
  std::map<std::string, std::string> render() const;
  // Where each line identity is now.
  std::map<std::uint64_t, Where> locate() const;
  // Identity of every rendered line, by path (index 0 is line 1; 0 for structural lines).
  std::map<std::string, std::vector<std::uint64_t>> lineIds() const;

  const std::vector<File>& files() const { return files_; }

 private:
  Line fresh(std::string text);
  std::string statement(Lang lang, bool risky);
  Function makeFunction(Lang lang);
  File& pickFile();
  File* pickFileOf(Lang lang, const File* except);
  std::string newPath(Lang lang);
  std::string indentOf(Lang lang, int depth) const;

  // Edits.
  void insertLines();
  void insertFunction();
  void reformat();
  void reindentBlock();
  void moveWithinFile();
  void moveAcrossFiles();
  void renameFile();
  void splitFile();
  void deleteFunction();
  void rewriteLine();
  void deleteLine();
  void renameFunction();
  void duplicateFunction();

  std::mt19937 rng_;
  std::uint64_t nextId_ = 1;
  std::uint32_t nextName_ = 1;
  std::vector<File> files_;
};

// A `git fast-import` stream built commit by commit on one branch; each commit carries the
// full tree, of which only added, changed and deleted files are written.
class ImportStream {
 public:
  explicit ImportStream(std::string branch = "main") : branch_(std::move(branch)) {}
  // Appends a commit whose tree is `files`; returns its mark (resolved by importInto()).
  std::uint32_t commit(const std::map<std::string, std::string>& files, std::int64_t time, const std::string& message);
  const std::string& text() const { return text_; }

 private:
  std::string branch_;
  std::string text_;
  std::map<std::string, std::string> previous_;
  std::uint32_t mark_ = 0;
};

// Output of a shell command (stdout only); `status` gets pclose()'s status when given.
std::string runCommand(const std::string& command, int* status = nullptr);

// Imports the stream into the repository at `repo` (created with `git init` when missing) with
// `git fast-import`; returns commit ids by mark, empty with `error` set when git fails.
std::map<std::uint32_t, std::string> importInto(const std::string& git, const std::string& repo,
                                                const std::string& stream, std::string& error);

}  // namespace aspm::mapping::bench
