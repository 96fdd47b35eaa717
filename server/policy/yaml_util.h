// Small helpers shared by the config, policy and ticketing readers: loading a document with its
// syntax error as a problem, positions of YAML nodes as "line N" for problems, and typed scalar
// access that reports instead of throwing.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/file.h"
#include "support/problem.h"

namespace aspm::policy::yaml {

// The document in `text`, or nothing with a fatal problem naming the line of the syntax error.
inline std::optional<YAML::Node> parseDocument(std::string_view text, const std::string& displayPath,
                                               support::Problems& problems) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.push_back({displayPath, "line " + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                        "not valid YAML: " + e.msg, support::ProblemSeverity::Fatal});
    return std::nullopt;
  }
}

// Reads the file at `path` and hands its text to `parse(text, path)`; an unreadable file is one
// fatal problem ("cannot read <what>: ...").
template <typename T, typename Parse>
support::WithProblems<T> loadFile(const std::string& path, const std::string& what, Parse parse) {
  std::string error;
  auto text = support::readFile(path, &error);
  if (!text) {
    support::WithProblems<T> out;
    out.problems.push_back({path, "", "cannot read " + what + ": " + error, support::ProblemSeverity::Fatal});
    return out;
  }
  return parse(*text, path);
}

inline std::string where(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return "";
  return "line " + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

class Reader {
 public:
  Reader(std::string file, support::Problems& problems) : file_(std::move(file)), problems_(problems) {}

  void error(const YAML::Node& at, const std::string& message, support::ProblemSeverity s = support::ProblemSeverity::Error) {
    problems_.push_back({file_, where(at), message, s});
  }

  std::optional<std::string> string(const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) {
      error(n, what + ": expected a string");
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::optional<bool> boolean(const YAML::Node& n, const std::string& what) {
    bool b = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, b)) {
      error(n, what + ": expected true or false");
      return std::nullopt;
    }
    return b;
  }

  std::optional<double> number(const YAML::Node& n, const std::string& what) {
    double d = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, d)) {
      error(n, what + ": expected a number");
      return std::nullopt;
    }
    return d;
  }

  // A string or a list of strings.
  std::vector<std::string> strings(const YAML::Node& n, const std::string& what) {
    std::vector<std::string> out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
    } else if (n.IsSequence()) {
      for (const auto& e : n) {
        if (auto s = string(e, what)) out.push_back(*s);
      }
    } else {
      error(n, what + ": expected a string or a list of strings");
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  support::Problems& problems_;
};

}  // namespace aspm::policy::yaml
