// Enforces the layering of docs/architecture.md on the source tree: which module may include
// which, where each third-party library may appear, and that LSP method names stay in lsp/.
// A violation names the file, the line and the rule, so the fix is obvious.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;

const fs::path kServer = fs::path(ASPM_SOURCE_DIR) / "server";

// module -> modules it may include (itself always allowed).
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"support", {}},
    {"model", {"support"}},
    {"ingest", {"model", "support"}},
    {"correlate", {"model", "support"}},
    {"gitmap", {"model", "support"}},
    {"syntax", {"model", "support"}},
    {"mapping", {"model", "support", "correlate", "gitmap", "syntax"}},
    {"policy", {"model", "support", "correlate"}},
    {"remediation", {"model", "support", "syntax"}},
    {"inventory", {"model", "support", "syntax"}},
    {"store/client", {"model", "support", "store/protocol"}},
    {"store/protocol", {"model", "support"}},
    {"store/db", {"model", "support"}},
    {"store/server", {"model", "support", "store/protocol", "store/db", "policy", "remediation"}},
    {"engine",
     {"model", "support", "ingest", "correlate", "gitmap", "syntax", "mapping", "policy", "remediation", "inventory",
      "store/client"}},
    // LSP types sit on JSON-RPC: protocol/ converts transport's opaque JSON values and errors.
    {"protocol", {"support", "transport"}},
    {"transport", {"support"}},
    {"lsp", {"protocol", "transport", "engine", "model", "support"}},
    {"cli", {"engine", "model", "support"}},
    {"tool", {"lsp", "cli", "store/server", "transport", "support"}},  // mains wire the stdio transport
};

// Third-party header prefix -> modules that may include it.
const std::vector<std::pair<std::string, std::set<std::string>>> kThirdParty = {
    {"git2", {"gitmap"}},
    {"tree_sitter/", {"syntax"}},
    {"sqlite3.h", {"store/db", "store/client"}},
    {"libpq-fe.h", {"store/db"}},
    {"boost/json", {"ingest", "protocol", "transport", "store/protocol", "store/client", "cli"}},
    {"boost/asio", {"transport", "store/server", "store/client"}},
    {"boost/beast", {"store/server", "store/client"}},
    {"openssl/", {"store/server", "store/client"}},
};

std::string moduleOf(const fs::path& file) {
  const std::string rel = fs::relative(file, kServer).generic_string();
  if (rel.starts_with("store/")) {
    const auto second = rel.find('/', 6);
    return rel.substr(0, second);
  }
  return rel.substr(0, rel.find('/'));
}

struct Violation {
  std::string where;
  std::string what;
};

std::vector<Violation> scan() {
  std::vector<Violation> out;
  const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  const std::regex lspMethod(R"("(textDocument|workspace|window|client|\$)/[A-Za-z])");
  for (const auto& entry : fs::recursive_directory_iterator(kServer)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cpp" && ext != ".hpp" && ext != ".cc") continue;
    const std::string mod = moduleOf(entry.path());
    const auto allowed = kAllowed.find(mod);
    std::ifstream in(entry.path());
    std::string line;
    int lineNo = 0;
    const std::string where = fs::relative(entry.path(), kServer.parent_path()).generic_string();
    if (allowed == kAllowed.end()) {
      out.push_back({where, "module '" + mod + "' is not in the architecture's module list"});
      continue;
    }
    while (std::getline(in, line)) {
      ++lineNo;
      const std::string at = where + ":" + std::to_string(lineNo);
      std::smatch m;
      if (std::regex_search(line, m, include)) {
        const std::string inc = m[1];
        for (const auto& [prefix, owners] : kThirdParty) {
          if (inc.starts_with(prefix) && !owners.contains(mod))
            out.push_back({at, "<" + inc + "> may only be included by: " + [&] {
                             std::string s;
                             for (const auto& o : owners) s += o + " ";
                             return s;
                           }()});
        }
        // Project includes are rooted at server/: the first segment names the module.
        const auto slash = inc.find('/');
        if (slash != std::string::npos && line.find('"') != std::string::npos) {
          std::string target = inc.substr(0, slash);
          if (target == "store") target = inc.substr(0, inc.find('/', slash + 1));
          if (kAllowed.contains(target) && target != mod && !allowed->second.contains(target))
            out.push_back({at, "module '" + mod + "' may not include '" + inc + "' (module '" + target + "')"});
        }
      }
      if (mod != "lsp" && std::regex_search(line, lspMethod) && line.find("//") != 0)
        out.push_back({at, "LSP method names belong in server/lsp/ only"});
    }
  }
  return out;
}

TEST(Architecture, IncludeRulesHold) {
  ASSERT_TRUE(fs::is_directory(kServer)) << kServer;
  const auto violations = scan();
  for (const auto& v : violations) ADD_FAILURE() << v.where << ": " << v.what;
  EXPECT_TRUE(violations.empty());
}

TEST(Architecture, CheckerSeesEveryModuleDirectory) {
  // Guards against the checker silently scanning nothing (e.g. a moved source tree).
  std::set<std::string> seen;
  for (const auto& entry : fs::recursive_directory_iterator(kServer))
    if (entry.is_regular_file() && entry.path().extension() == ".cpp") seen.insert(moduleOf(entry.path()));
  EXPECT_TRUE(seen.contains("support"));
  EXPECT_TRUE(seen.contains("ingest"));
  EXPECT_TRUE(seen.contains("cli"));
  EXPECT_GE(seen.size(), 6u);
}

}  // namespace
