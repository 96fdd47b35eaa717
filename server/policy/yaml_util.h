// Small helpers shared by the config and policy readers: positions of YAML nodes as "line N"
// for problems, and typed scalar access that reports instead of throwing.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "support/problem.h"

namespace aspm::policy::yaml {

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
