// The edit model behind the benchmark's histories. Statements are drawn from what flawfinder,
// bandit and eslint-plugin-security report, mixed with ordinary code, so every scan has a few
// hundred real findings.
#include "history.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace aspm::mapping::bench {
namespace {

const char* const kCRisky[] = {
    "strcpy(buf, %a);", "strcat(buf, %a);", "sprintf(buf, \"%s:%d\", %a, %n);", "system(%a);",
    "memcpy(buf, %a, %n);", "gets(buf);", "printf(%a);", "popen(%a, \"r\");", "access(%a, 0);",
    "chmod(%a, 0%n);", "tmpnam(%a);", "char %v[%n];", "getenv(\"%V\");", "srand(%n);"};
const char* const kCSafe[] = {"int %v = %n;", "%v += %n;", "log_message(%a, %n);", "if (%v > %n) return %n;",
                              "count_%v++;", "free(%a);", "len = strlen(%a);", "%v = check_input(%a, %n);"};
const char* const kPyRisky[] = {
    "subprocess.call(%a, shell=True)", "os.system(%a)", "eval(%a)", "pickle.loads(%a)",
    "yaml.load(%a)", "hashlib.md5(%a)", "exec(%a)", "tempfile.mktemp(%a)",
    "requests.get(%a, verify=False)", "assert %v > %n"};
const char* const kPySafe[] = {"%v = %n", "%v += %n", "log.info(%a, %n)", "if %v > %n:\n    return %n",
                               "%v = check_input(%a, %n)", "results.append(%a)", "%v = len(%a)"};
// JavaScript (CommonJS): every statement stays valid when reformatted, so ESLint always parses.
const char* const kJsRisky[] = {
    "child_process.exec(%a);", "eval(%a);", "fs.readFile(%a, done);", "new RegExp(%a);", "require(%a);",
    "crypto.pseudoRandomBytes(%n);", "var %v = new Buffer(%a);", "%v[%a] = %n;", "if (%a === token) return %n;",
    "fs.writeFileSync(%a, data);"};
const char* const kJsSafe[] = {"var %v = %n;", "%v += %n;", "log(%a, %n);", "if (%v > %n) return %n;",
                               "count_%v++;", "%v = checkInput(%a, %n);", "results.push(%a);"};
const char* const kWords[] = {"name", "path", "cmd", "data", "user", "key", "value", "url", "query", "token",
                              "host", "file", "input", "arg", "conf", "line", "buf2", "src", "dst", "msg"};

}  // namespace

History::History(std::uint32_t seed, std::uint32_t scale) : rng_(seed) {
  const std::uint32_t counts[] = {10, 5, 10, 10};  // C, C++, Python, JavaScript files
  for (int l = 0; l < 4; ++l) {
    const Lang lang = static_cast<Lang>(l);
    for (std::uint32_t i = 0; i < counts[l] * std::max<std::uint32_t>(scale, 1); ++i) {
      File f;
      f.lang = lang;
      f.path = newPath(lang);
      if (lang == Lang::JavaScript) {
        f.header = {fresh("const fs = require('fs');"), fresh("const child_process = require('child_process');"),
                    fresh("const crypto = require('crypto');")};
      } else if (lang == Lang::Python) {
        f.header = {fresh("import hashlib"), fresh("import os"), fresh("import pickle"), fresh("import subprocess"),
                    fresh("import tempfile"), fresh("import requests"), fresh("import yaml")};
      } else {
        f.header = {fresh("#include <stdio.h>"), fresh("#include <stdlib.h>"), fresh("#include <string.h>"),
                    fresh("#include <unistd.h>")};
      }
      const int fns = 5 + static_cast<int>(rng_() % 5);
      for (int k = 0; k < fns; ++k) f.functions.push_back(makeFunction(lang));
      files_.push_back(std::move(f));
    }
  }
}

Line History::fresh(std::string text) { return Line{nextId_++, std::move(text)}; }

std::string History::indentOf(Lang lang, int depth) const {
  return std::string(static_cast<std::size_t>(depth) * (lang == Lang::Python ? 4 : 2), ' ');
}

std::string History::statement(Lang lang, bool risky) {
  const bool py = lang == Lang::Python;
  std::string t;
  if (lang == Lang::JavaScript)
    t = risky ? kJsRisky[rng_() % std::size(kJsRisky)] : kJsSafe[rng_() % std::size(kJsSafe)];
  else
    t = risky ? (py ? kPyRisky[rng_() % std::size(kPyRisky)] : kCRisky[rng_() % std::size(kCRisky)])
              : (py ? kPySafe[rng_() % std::size(kPySafe)] : kCSafe[rng_() % std::size(kCSafe)]);
  auto replaceAll = [&](const std::string& from, auto make) {
    for (std::size_t at; (at = t.find(from)) != std::string::npos;) t.replace(at, from.size(), make());
  };
  replaceAll("%a", [&] { return std::string(kWords[rng_() % std::size(kWords)]) + (rng_() % 3 ? "" : "_" + std::to_string(rng_() % 9)); });
  replaceAll("%v", [&] { return std::string(kWords[rng_() % std::size(kWords)]) + "_" + std::to_string(rng_() % 50); });
  replaceAll("%V", [&] { return "ENV_" + std::to_string(rng_() % 40); });
  replaceAll("%n", [&] { return std::to_string(1 + rng_() % 200); });
  return t;
}

Function History::makeFunction(Lang lang) {
  Function fn;
  fn.name = std::string(kWords[rng_() % std::size(kWords)]) + "_handler_" + std::to_string(nextName_++);
  const int depth = 1;
  if (lang == Lang::Python) {
    fn.lines.push_back(fresh("def " + fn.name + "(name, path, cmd, data):"));
  } else if (lang == Lang::JavaScript) {
    fn.lines.push_back(fresh("function " + fn.name + "(name, path, cmd, data) {"));
    fn.lines.push_back(fresh(indentOf(lang, depth) + "var buf = [];"));
  } else {
    fn.lines.push_back(fresh("int " + fn.name + "(char *name, char *path, char *cmd, char *data) {"));
    fn.lines.push_back(fresh(indentOf(lang, depth) + "char buf[256];"));
  }
  const int n = 3 + static_cast<int>(rng_() % 6);
  for (int i = 0; i < n; ++i) {
    std::string s = statement(lang, rng_() % 3 == 0);
    // Multi-line safe statements (Python's if/return) become one line per physical line.
    std::istringstream parts(s);
    std::string part;
    int extra = 0;
    while (std::getline(parts, part)) {
      const std::size_t lead = part.find_first_not_of(' ');
      extra = static_cast<int>(lead == std::string::npos ? 0 : lead) / 4;
      fn.lines.push_back(fresh(indentOf(lang, depth + extra) + part.substr(lead == std::string::npos ? 0 : lead)));
    }
  }
  if (lang == Lang::Python) {
    fn.lines.push_back(fresh(indentOf(lang, depth) + "return " + std::to_string(rng_() % 5)));
  } else {
    fn.lines.push_back(fresh(indentOf(lang, depth) + "return " + std::to_string(rng_() % 5) + ";"));
    fn.lines.push_back(fresh("}"));
  }
  return fn;
}

std::string History::newPath(Lang lang) {
  static const char* const kDirs[] = {"src", "src/net", "lib", "app", "tools"};
  const char* ext = lang == Lang::C ? ".c" : lang == Lang::Cpp ? ".cpp" : lang == Lang::Python ? ".py" : ".js";
  return std::string(kDirs[rng_() % std::size(kDirs)]) + "/" + kWords[rng_() % std::size(kWords)] + "_" +
         std::to_string(nextName_++) + ext;
}

File& History::pickFile() { return files_[rng_() % files_.size()]; }

File* History::pickFileOf(Lang lang, const File* except) {
  std::vector<File*> pool;
  for (auto& f : files_)
    if (f.lang == lang && &f != except) pool.push_back(&f);
  if (pool.empty()) return nullptr;
  return pool[rng_() % pool.size()];
}

std::string History::step() {
  const int edits = 1 + static_cast<int>(rng_() % 3);
  std::string what;
  for (int i = 0; i < edits; ++i) {
    const unsigned r = rng_() % 100;
    // Weights: frequent small edits, occasional refactorings.
    if (r < 22) { insertLines(); what += "insert "; }
    else if (r < 30) { insertFunction(); what += "add-function "; }
    else if (r < 38) { reformat(); what += "reformat "; }
    else if (r < 44) { reindentBlock(); what += "reindent "; }
    else if (r < 52) { moveWithinFile(); what += "move "; }
    else if (r < 60) { moveAcrossFiles(); what += "move-across "; }
    else if (r < 63) { renameFile(); what += "rename-file "; }
    else if (r < 65) { splitFile(); what += "split-file "; }
    else if (r < 70) { deleteFunction(); what += "delete-function "; }
    else if (r < 80) { rewriteLine(); what += "rewrite "; }
    else if (r < 88) { deleteLine(); what += "delete-line "; }
    else if (r < 95) { renameFunction(); what += "rename-function "; }
    else { duplicateFunction(); what += "duplicate "; }
  }
  return what;
}

void History::insertLines() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  Function& fn = f.functions[rng_() % f.functions.size()];
  const bool py = f.lang == Lang::Python;
  // Valid places for a new top-level statement of the body: not inside a nested block, not
  // between a block header and its body, not after the closing brace.
  std::vector<std::size_t> places;
  const std::size_t last = fn.lines.size() - (py ? 0 : 1);
  for (std::size_t at = 1; at <= last; ++at) {
    if (py) {
      if (at < fn.lines.size() && fn.lines[at].text.find_first_not_of(' ') > 4) continue;
      if (at > 1 && fn.lines[at - 1].text.ends_with(":")) continue;
    }
    places.push_back(at);
  }
  if (places.empty()) return;
  const std::size_t at = places[rng_() % places.size()];
  const int n = 1 + static_cast<int>(rng_() % 3);
  for (int i = 0; i < n; ++i) {
    std::string s = statement(f.lang, false);
    if (s.find('\n') != std::string::npos) s = py ? "x_" + std::to_string(rng_() % 9) + " = 1" : "tick();";
    fn.lines.insert(fn.lines.begin() + static_cast<std::ptrdiff_t>(at), fresh(indentOf(f.lang, 1) + s));
  }
}

void History::insertFunction() {
  File& f = pickFile();
  const std::size_t at = f.functions.empty() ? 0 : rng_() % (f.functions.size() + 1);
  f.functions.insert(f.functions.begin() + static_cast<std::ptrdiff_t>(at), makeFunction(f.lang));
}

// Whitespace-only changes inside lines (spacing around commas and operators, trailing blanks):
// the normalised text, and so the finding, stays the same.
void History::reformat() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  Function& fn = f.functions[rng_() % f.functions.size()];
  const int style = static_cast<int>(rng_() % 3);
  for (auto& line : fn.lines) {
    const std::size_t lead = line.text.find_first_not_of(' ');
    if (lead == std::string::npos) continue;
    std::string body = line.text.substr(lead);
    std::string out;
    auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$'; };
    for (std::size_t i = 0; i < body.size(); ++i) {
      const char c = body[i];
      // JavaScript keeps a space between two words (`var x`, `new Buffer`): the code stays the same.
      const bool needed = f.lang == Lang::JavaScript && i > 0 && i + 1 < body.size() && word(body[i - 1]) && word(body[i + 1]);
      if (c == ' ' && style != 2 && !needed) continue;  // squeeze, then re-add per style
      out += c;
      if (c == ',' && style == 0) out += ' ';
      if (c == '(' && style == 1 && f.lang != Lang::Python) out += ' ';
    }
    // Keep keywords separated from what follows them.
    for (const char* kw : {"return", "assert", "char", "int", "if", "def", "import", "#include"}) {
      const std::string k = kw;
      if (out.starts_with(k) && out.size() > k.size() && out[k.size()] != ' ' && out[k.size()] != '(' &&
          out[k.size()] != ';')
        out.insert(k.size(), " ");
    }
    if (style == 1 && f.lang != Lang::Python && out.ends_with(";")) out.insert(out.size() - 1, " ");
    const std::string indent = f.lang == Lang::Python ? line.text.substr(0, lead)
                                                       : std::string(lead / 2 * (style == 2 ? 4 : 2), ' ');
    line.text = indent + out;
  }
}

// Wrap part of a function body in a new block (if/with), re-indenting it: lines keep their
// identity and their whitespace-free text.
void History::reindentBlock() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  Function& fn = f.functions[rng_() % f.functions.size()];
  const std::size_t bodyEnd = fn.lines.size() - (f.lang == Lang::Python ? 1 : 2);  // before return
  if (bodyEnd <= 2) return;
  std::size_t a = 1 + (f.lang == Lang::Python ? 0 : 1);
  if (a >= bodyEnd) return;
  a += rng_() % (bodyEnd - a);
  std::size_t b = a + 1 + rng_() % 3;
  b = std::min(b, bodyEnd);
  if (f.lang == Lang::Python) {
    // Do not split an `if` from its body.
    if (fn.lines[a].text.find_first_not_of(' ') > 4) return;
    if (b < fn.lines.size() && fn.lines[b].text.find_first_not_of(' ') > 4) return;
    for (std::size_t i = a; i < b; ++i) fn.lines[i].text = "    " + fn.lines[i].text;
    fn.lines.insert(fn.lines.begin() + static_cast<std::ptrdiff_t>(a), fresh("    if enabled(" + std::to_string(rng_() % 9) + "):"));
  } else {
    for (std::size_t i = a; i < b; ++i) fn.lines[i].text = "  " + fn.lines[i].text;
    fn.lines.insert(fn.lines.begin() + static_cast<std::ptrdiff_t>(b), fresh("  }"));
    fn.lines.insert(fn.lines.begin() + static_cast<std::ptrdiff_t>(a), fresh("  if (enabled(" + std::to_string(rng_() % 9) + ")) {"));
  }
}

void History::moveWithinFile() {
  File& f = pickFile();
  if (f.functions.size() < 2) return;
  const std::size_t from = rng_() % f.functions.size();
  Function fn = std::move(f.functions[from]);
  f.functions.erase(f.functions.begin() + static_cast<std::ptrdiff_t>(from));
  const std::size_t to = rng_() % (f.functions.size() + 1);
  f.functions.insert(f.functions.begin() + static_cast<std::ptrdiff_t>(to), std::move(fn));
}

void History::moveAcrossFiles() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  File* dest = pickFileOf(f.lang, &f);
  if (!dest) return;
  const std::size_t from = rng_() % f.functions.size();
  Function fn = std::move(f.functions[from]);
  f.functions.erase(f.functions.begin() + static_cast<std::ptrdiff_t>(from));
  const std::size_t to = rng_() % (dest->functions.size() + 1);
  dest->functions.insert(dest->functions.begin() + static_cast<std::ptrdiff_t>(to), std::move(fn));
}

void History::renameFile() {
  File& f = pickFile();
  f.path = newPath(f.lang);
}

void History::splitFile() {
  File& f = pickFile();
  if (f.functions.size() < 4) return;
  File part;
  part.lang = f.lang;
  part.path = newPath(f.lang);
  for (const auto& h : f.header) part.header.push_back(fresh(h.text));
  const std::size_t half = f.functions.size() / 2;
  part.functions.assign(std::make_move_iterator(f.functions.begin() + static_cast<std::ptrdiff_t>(half)),
                        std::make_move_iterator(f.functions.end()));
  f.functions.resize(half);
  files_.push_back(std::move(part));
}

void History::deleteFunction() {
  File& f = pickFile();
  if (f.functions.size() < 2) return;
  f.functions.erase(f.functions.begin() + static_cast<std::ptrdiff_t>(rng_() % f.functions.size()));
}

// Change the code of one statement (a fix, a refactoring): a new line, the old finding is gone.
void History::rewriteLine() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  Function& fn = f.functions[rng_() % f.functions.size()];
  if (fn.lines.size() < 4) return;
  const std::size_t at = 1 + rng_() % (fn.lines.size() - 3);
  const std::string& old = fn.lines[at].text;
  const std::size_t lead = old.find_first_not_of(' ');
  if (lead == std::string::npos || old.ends_with(":") || old.ends_with("{") || old.find('}') != std::string::npos) return;
  std::string s = statement(f.lang, rng_() % 2 == 0);
  if (s.find('\n') != std::string::npos) return;
  fn.lines[at] = fresh(old.substr(0, lead) + s);
}

void History::deleteLine() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  Function& fn = f.functions[rng_() % f.functions.size()];
  if (fn.lines.size() < 5) return;
  const std::size_t at = 1 + rng_() % (fn.lines.size() - 3);
  const std::string& t = fn.lines[at].text;
  if (t.ends_with(":") || t.ends_with("{") || t.find('}') != std::string::npos) return;
  // Deleting the only statement of a Python block would leave it empty.
  if (f.lang == Lang::Python && fn.lines[at - 1].text.ends_with(":") &&
      (at + 1 >= fn.lines.size() || fn.lines[at + 1].text.find_first_not_of(' ') < t.find_first_not_of(' ')))
    return;
  fn.lines.erase(fn.lines.begin() + static_cast<std::ptrdiff_t>(at));
}

void History::renameFunction() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  Function& fn = f.functions[rng_() % f.functions.size()];
  const std::string renamed = fn.name + "_v" + std::to_string(rng_() % 9);
  std::string& header = fn.lines[0].text;
  header.replace(header.find(fn.name), fn.name.size(), renamed);
  fn.lines[0] = fresh(header);
  fn.name = renamed;
}

void History::duplicateFunction() {
  File& f = pickFile();
  if (f.functions.empty()) return;
  Function copy = f.functions[rng_() % f.functions.size()];
  const std::string renamed = copy.name + "_copy" + std::to_string(nextName_++);
  copy.lines[0].text.replace(copy.lines[0].text.find(copy.name), copy.name.size(), renamed);
  copy.name = renamed;
  for (auto& l : copy.lines) l.id = nextId_++;
  File* dest = rng_() % 2 ? &f : pickFileOf(f.lang, nullptr);
  dest->functions.push_back(std::move(copy));
}

std::map<std::string, std::string> History::render() const {
  std::map<std::string, std::string> out;
  for (const auto& f : files_) {
    std::string text;
    for (const auto& h : f.header) text += h.text + "\n";
    for (const auto& fn : f.functions) {
      text += "\n";
      if (f.lang == Lang::Python) text += "\n";
      for (const auto& l : fn.lines) text += l.text + "\n";
    }
    out[f.path] = std::move(text);
  }
  return out;
}

std::map<std::string, std::vector<std::uint64_t>> History::lineIds() const {
  std::map<std::string, std::vector<std::uint64_t>> out;
  for (const auto& f : files_) {
    auto& ids = out[f.path];
    for (const auto& h : f.header) ids.push_back(h.id);
    for (const auto& fn : f.functions) {
      ids.push_back(0);
      if (f.lang == Lang::Python) ids.push_back(0);
      for (const auto& l : fn.lines) ids.push_back(l.id);
    }
  }
  return out;
}

std::map<std::uint64_t, Where> History::locate() const {
  std::map<std::uint64_t, Where> out;
  for (const auto& f : files_) {
    std::uint32_t line = 0;
    for (const auto& h : f.header) out[h.id] = {f.path, ++line};
    for (const auto& fn : f.functions) {
      line += f.lang == Lang::Python ? 2 : 1;
      for (const auto& l : fn.lines) out[l.id] = {f.path, ++line};
    }
  }
  return out;
}

std::uint32_t ImportStream::commit(const std::map<std::string, std::string>& files, std::int64_t time,
                                   const std::string& message) {
  std::ostringstream out;
  out << "commit refs/heads/" << branch_ << "\nmark :" << ++mark_ << "\n"
      << "committer Dev <dev@example.com> " << time << " +0000\n"
      << "data " << message.size() << "\n" << message << "\n";
  if (mark_ > 1) out << "from :" << (mark_ - 1) << "\n";
  for (const auto& [path, text] : previous_)
    if (!files.contains(path)) out << "D " << path << "\n";
  for (const auto& [path, text] : files) {
    const auto old = previous_.find(path);
    if (old != previous_.end() && old->second == text) continue;
    out << "M 100644 inline " << path << "\ndata " << text.size() << "\n" << text << "\n";
  }
  out << "\n";
  text_ += out.str();
  previous_ = files;
  return mark_;
}

std::string runCommand(const std::string& command, int* status) {
  FILE* p = popen(command.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  if (status) *status = rc;
  return out;
}

std::map<std::uint32_t, std::string> importInto(const std::string& git, const std::string& repo,
                                                const std::string& stream, std::string& error) {
  namespace fs = std::filesystem;
  std::map<std::uint32_t, std::string> out;
  const fs::path dir(repo);
  int rc = 0;
  if (!fs::exists(dir / ".git")) {
    const std::string said = runCommand(git + " init -q -b main '" + repo + "' 2>&1", &rc);
    if (rc != 0) {
      error = "git init failed: " + said;
      return out;
    }
  }
  const fs::path streamFile = dir.parent_path() / (dir.filename().string() + ".fi");
  const fs::path marks = dir.parent_path() / (dir.filename().string() + ".marks");
  std::ofstream(streamFile, std::ios::binary) << stream;
  const std::string said = runCommand("cd '" + repo + "' && " + git + " fast-import --quiet --export-marks='" +
                                          marks.string() + "' < '" + streamFile.string() + "' 2>&1",
                                      &rc);
  std::error_code ec;
  fs::remove(streamFile, ec);
  if (rc != 0) {
    error = "git fast-import failed: " + said;
    return out;
  }
  std::ifstream in(marks);
  for (std::string m, id; in >> m >> id;)
    if (m.size() > 1) out[static_cast<std::uint32_t>(std::stoul(m.substr(1)))] = id;
  fs::remove(marks, ec);
  if (out.empty()) error = "git fast-import wrote no marks";
  return out;
}

}  // namespace aspm::mapping::bench
