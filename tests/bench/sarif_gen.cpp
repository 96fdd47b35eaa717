// sarif_gen: writes a large, realistic SARIF 2.1.0 log for the ingest benchmark.
//
// Real result sets big enough to measure (100 MB and more) are not public, so the benchmark
// makes its own, shaped like what scanners emit: a CodeQL-like run (rules in tool.driver and in
// tool.extensions, referenced by rule.toolComponent; artifacts and artifactLocation.index; code
// flows; message.id lookups; originalUriBaseIds), a Semgrep-like run (snippets, fingerprints,
// inSource suppressions), an ESLint-like run (ruleIndex, index-only artifact locations, fixes) and
// a secret scanner run. The same seed gives the same bytes on every machine: the generator uses
// its own PRNG and formats every number itself. The log is streamed to disk as it is generated,
// so a 700 MB file costs a few megabytes of memory.
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog.h"
#include "json_out.h"

namespace {

using aspm::bench::JsonOut;
using aspm::bench::Lang;
using aspm::bench::Topic;
namespace cat = aspm::bench;

// splitmix64: tiny, fast, and defined bit for bit, unlike the std distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::size_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi) noexcept { return lo + below(hi - lo + 1); }
  double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) noexcept { return unit() < p; }
  template <typename C>
  const auto& pick(const C& c) noexcept {
    return c[below(std::size(c))];
  }
  std::string hex(int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(static_cast<std::size_t>(digits));
    std::uint64_t bits = 0;
    for (int i = 0; i < digits; ++i) {
      if (i % 16 == 0) bits = next();
      s += kHex[bits & 15];
      bits >>= 4;
    }
    return s;
  }

 private:
  std::uint64_t state_;
};

std::string num(std::uint64_t v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  (void)ec;
  return std::string(tmp, end);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string lowerFirst(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

const char* langName(Lang l) {
  switch (l) {
    case Lang::Java: return "java";
    case Lang::JavaScript: return "javascript";
    case Lang::TypeScript: return "typescript";
    case Lang::Python: return "python";
    case Lang::Go: return "go";
    case Lang::Config: return "yaml";
  }
  return "text";
}

constexpr std::size_t kLangCount = 6;
std::size_t langSlot(Lang l) { return static_cast<std::size_t>(l); }

// ---------------------------------------------------------------------------------------------
// Source files and code lines

struct SourceFile {
  std::string path;
  Lang lang;
  std::uint32_t lines;
};

std::string codeLine(Rng& rng, Lang lang) {
  std::string line;
  switch (lang) {
    case Lang::Java: line = rng.pick(cat::kJavaLines); break;
    case Lang::JavaScript:
    case Lang::TypeScript: line = rng.pick(cat::kJsLines); break;
    case Lang::Python: line = rng.pick(cat::kPyLines); break;
    case Lang::Go: line = rng.pick(cat::kGoLines); break;
    case Lang::Config: line = rng.pick(cat::kConfigLines); break;
  }
  replaceAll(line, "{v}", rng.pick(cat::kVars));
  replaceAll(line, "{p}", rng.pick(cat::kParams));
  replaceAll(line, "{t}", rng.pick(cat::kTables));
  return line;
}

std::string sourceExpr(Rng& rng, Lang lang) {
  const std::string p(rng.pick(cat::kParams));
  switch (lang) {
    case Lang::Java: return "request.getParameter(\"" + p + "\")";
    case Lang::JavaScript:
    case Lang::TypeScript: return "req.query." + p;
    case Lang::Python: return "request.args.get(\"" + p + "\")";
    case Lang::Go: return "r.URL.Query().Get(\"" + p + "\")";
    case Lang::Config: break;
  }
  return p;
}

std::string sinkName(Rng& rng) {
  static constexpr std::array<std::string_view, 8> kVerbs = {"load", "find", "render", "execute",
                                                              "update", "handle", "export", "resolve"};
  return std::string(rng.pick(cat::kNouns)) + std::string(rng.pick(cat::kJavaSuffixes)) + "." +
         std::string(rng.pick(kVerbs));
}

// Python package layers differ from the Java ones in real trees.
constexpr std::array<std::string_view, 6> kPyLayers = {"api", "core", "services", "adapters", "domain", "web"};

SourceFile makeFile(Rng& rng, Lang lang) {
  const std::string module(rng.pick(cat::kModules));
  const std::string noun(rng.pick(cat::kNouns));
  std::string path;
  switch (lang) {
    case Lang::Java: {
      const bool test = rng.chance(0.1);
      path = "services/" + module + "/src/" + (test ? "test" : "main") + "/java/com/acme/" + module + "/" +
             std::string(rng.pick(cat::kLayers)) + "/" + noun + std::string(rng.pick(cat::kJavaSuffixes)) +
             (test ? "Test" : "") + ".java";
      break;
    }
    case Lang::JavaScript: {
      static constexpr std::array<std::string_view, 6> kDirs = {"routes", "controllers", "middleware",
                                                                "lib", "models", "jobs"};
      path = "services/" + module + "-api/src/" + std::string(rng.pick(kDirs)) + "/" + lowerFirst(noun) +
             std::string(rng.pick(cat::kJavaSuffixes)) + ".js";
      break;
    }
    case Lang::TypeScript: {
      static constexpr std::array<std::string_view, 6> kKinds = {"Page", "List", "Form", "Card", "Dialog", "Table"};
      if (rng.chance(0.3))
        path = "web/src/features/" + module + "/hooks/use" + noun + std::string(rng.pick(kKinds)) + ".ts";
      else
        path = "web/src/features/" + module + "/components/" + noun + std::string(rng.pick(kKinds)) + ".tsx";
      break;
    }
    case Lang::Python: {
      static constexpr std::array<std::string_view, 7> kKinds = {"views", "models", "serializers", "tasks",
                                                                 "utils", "forms", "api"};
      path = "backend/" + module + "/" + std::string(rng.pick(kPyLayers)) + "/" + lower(noun) + "_" +
             std::string(rng.pick(kKinds)) + ".py";
      break;
    }
    case Lang::Go: {
      static constexpr std::array<std::string_view, 6> kKinds = {"handler", "store", "client", "service",
                                                                 "middleware", "worker"};
      path = "internal/" + module + "/" + lower(noun) + "_" + std::string(rng.pick(kKinds)) + ".go";
      break;
    }
    case Lang::Config: {
      switch (rng.below(4)) {
        case 0: path = "deploy/k8s/" + module + "/" + lower(noun) + "-deployment.yaml"; break;
        case 1: path = "services/" + module + "/" + lower(noun) + "/Dockerfile"; break;
        case 2: path = "infra/terraform/" + module + "/" + lower(noun) + ".tf"; break;
        default: path = ".github/workflows/" + module + "-" + lower(noun) + ".yml"; break;
      }
      break;
    }
  }
  return SourceFile{std::move(path), lang, rng.between(40, 1400)};
}

std::vector<SourceFile> makeFiles(Rng& rng, std::uint32_t count) {
  // Shares per language, in per mille: a polyglot monorepo.
  static constexpr std::array<std::pair<Lang, int>, 6> kShares = {{{Lang::Java, 250},
                                                                   {Lang::JavaScript, 200},
                                                                   {Lang::TypeScript, 175},
                                                                   {Lang::Python, 200},
                                                                   {Lang::Go, 125},
                                                                   {Lang::Config, 50}}};
  std::vector<SourceFile> files;
  std::set<std::string> seen;
  std::uint32_t made = 0;
  for (std::size_t i = 0; i < kShares.size(); ++i) {
    const auto [lang, share] = kShares[i];
    const std::uint32_t want = i + 1 == kShares.size() ? count - made : count * static_cast<std::uint32_t>(share) / 1000;
    for (std::uint32_t n = 0, attempts = 0; n < want; ++attempts) {
      SourceFile f = makeFile(rng, lang);
      // Word combinations run out only for tiny vocabularies or huge counts; then add a
      // versioned folder so the count asked for is always met.
      if (attempts > want * 20) {
        const auto slash = f.path.rfind('/');
        const std::size_t at = slash == std::string::npos ? 0 : slash + 1;
        std::string versioned = f.path.substr(0, at);
        versioned += 'v';
        versioned += num(attempts);
        versioned += '/';
        versioned += f.path.substr(at);
        f.path = std::move(versioned);
      }
      if (!seen.insert(f.path).second) continue;
      files.push_back(std::move(f));
      ++n;
    }
    made += want;
  }
  // Interleave languages so that "first files" are not all Java.
  for (std::size_t i = files.size(); i > 1; --i) std::swap(files[i - 1], files[rng.below(i)]);
  return files;
}

// ---------------------------------------------------------------------------------------------
// Rules

enum class ToolKind { CodeQL, Semgrep, ESLint, Secrets };

struct RuleDef {
  std::string id;
  std::string name;
  std::string shortDescription;
  std::string fullDescription;
  std::string helpText;
  std::string helpMarkdown;
  std::string helpUri;
  std::string level;
  std::string securitySeverity;  // "" when the rule has none
  std::string precision;
  std::string kind;              // CodeQL "problem" | "path-problem"
  std::vector<std::string> tags;
  std::string defaultMessage;    // messageStrings.default, "" when absent
  std::string message;           // what results say; {0}, {1} are arguments
  int argumentCount = 0;
  std::string sinkNoun;
  Lang lang = Lang::Config;
  bool anyLanguage = false;      // secrets apply to every file
};

struct Component {
  std::string name;
  std::string version;
  std::vector<RuleDef> rules;
};

struct RuleRef {
  int component;        // -1: driver, else index into extensions
  std::uint32_t index;  // index within that component's rules
};

struct RunDef {
  ToolKind kind;
  Component driver;
  std::vector<Component> extensions;
  std::array<std::vector<RuleRef>, kLangCount> rulesByLang;
  std::vector<std::uint32_t> files;  // indices into the global file list
  std::vector<std::int64_t> artifactIndex;  // global file -> index in this run's artifacts, -1 none
  bool writesArtifacts = false;
  std::uint32_t share = 0;  // per mille of all results
  double codeFlows = 0;
  double related = 0;

  const RuleDef& rule(RuleRef r) const {
    return r.component < 0 ? driver.rules[r.index] : extensions[static_cast<std::size_t>(r.component)].rules[r.index];
  }
};

std::string codeqlHelp(Rng& rng, const Topic& t, Lang lang) {
  std::string md;
  md += "# ";
  md += t.title;
  md += "\n";
  md += t.summary;
  md += " An attacker who controls the input can change what the program does, so every value that crosses a "
        "trust boundary has to be validated where it is used.\n\n\n## Recommendation\n";
  md += t.recommendation;
  md += "\n\n\n## Example\nIn the following example, a value taken from the request reaches the ";
  md += t.sinkNoun;
  md += " without any check:\n\n\n```";
  md += langName(lang);
  md += "\n";
  for (int i = 0; i < 4; ++i) md += codeLine(rng, lang) + "\n";
  md += "```\nThe fixed version validates the value first and passes it as data only.\n\n\n## References\n";
  md += "* OWASP: [";
  md += t.title;
  md += "](https://owasp.org/www-community/attacks/";
  md += t.slug;
  md += ").\n* Common Weakness Enumeration: [CWE-";
  md += t.cwe;
  md += "](https://cwe.mitre.org/data/definitions/";
  md += t.cwe;
  md += ".html).\n";
  return md;
}

std::string cweTag(std::string_view cwe) {
  std::string tag = "external/cwe/cwe-";
  if (cwe.size() < 3) tag.append(3 - cwe.size(), '0');
  tag += cwe;
  return tag;
}

RuleDef codeqlRule(Rng& rng, const Topic& t, Lang lang) {
  RuleDef r;
  const std::string prefix = lang == Lang::JavaScript ? "js" : langName(lang);
  r.id = prefix + "/" + std::string(t.slug);
  r.name = r.id;
  r.shortDescription = t.title;
  r.fullDescription = t.summary;
  r.helpMarkdown = codeqlHelp(rng, t, lang);
  r.helpText = r.helpMarkdown;  // CodeQL writes the same text into both
  r.level = t.level;
  r.securitySeverity = t.severity;
  r.precision = t.precision;
  r.kind = rng.chance(0.6) ? "path-problem" : "problem";
  r.tags = {"security", cweTag(t.cwe)};
  if (rng.chance(0.3)) r.tags.push_back("external/cwe/cwe-20");
  r.defaultMessage = "Untrusted data from {0} reaches this " + std::string(t.sinkNoun) + " in {1}.";
  r.message = "This " + std::string(t.sinkNoun) + " uses {0}, which comes from {1} without sanitization.";
  r.argumentCount = 2;
  r.sinkNoun = t.sinkNoun;
  r.lang = lang;
  return r;
}

RuleDef semgrepRule(const Topic& t, const cat::Framework& fw) {
  RuleDef r;
  r.id = std::string(fw.prefix) + ".security." + std::string(t.slug) + "." + std::string(t.slug);
  r.name = r.id;
  r.shortDescription = std::string(t.title) + " (" + std::string(fw.prefix) + ")";
  r.fullDescription = std::string(t.summary) + " " + std::string(t.recommendation);
  r.helpText = r.fullDescription;
  r.helpUri = "https://semgrep.dev/r/" + r.id;
  r.helpMarkdown = r.fullDescription + "\n\n<b>References:</b>\n - [Semgrep Rule](" + r.helpUri +
                   ")\n - [https://cwe.mitre.org/data/definitions/" + std::string(t.cwe) +
                   ".html](https://cwe.mitre.org/data/definitions/" + std::string(t.cwe) + ".html)\n";
  r.level = t.level;
  r.securitySeverity = t.severity;
  r.precision = t.precision == "high" ? "very-high" : "medium";
  r.tags = {"CWE-" + std::string(t.cwe) + ": " + std::string(t.title), "OWASP-A03:2021 - Injection", "security"};
  r.message = r.fullDescription;
  r.sinkNoun = t.sinkNoun;
  r.lang = fw.lang;
  return r;
}

RuleDef semgrepConfigRule(const cat::ConfigRule& c) {
  RuleDef r;
  r.id = c.id;
  r.name = c.id;
  r.shortDescription = c.title;
  r.fullDescription = c.message;
  r.helpText = c.message;
  r.helpUri = "https://semgrep.dev/r/" + r.id;
  r.helpMarkdown = std::string(c.message) + "\n\n<b>References:</b>\n - [Semgrep Rule](" + r.helpUri + ")\n";
  r.level = "warning";
  r.securitySeverity = c.severity;
  r.precision = "high";
  r.tags = {"CWE-" + std::string(c.cwe), "security", "configuration"};
  r.message = c.message;
  r.sinkNoun = "setting";
  r.lang = Lang::Config;
  return r;
}

RuleDef lintRule(const cat::LintRule& l) {
  RuleDef r;
  r.id = l.id;
  const bool plugin = l.id.find('/') != std::string_view::npos;
  r.helpUri = plugin ? "https://github.com/search?q=" + std::string(l.id) + "&type=code"
                     : "https://eslint.org/docs/latest/rules/" + std::string(l.id);
  r.shortDescription = l.description;
  r.helpText = std::string(l.description) + ". See " + r.helpUri;
  r.helpMarkdown = "**" + std::string(l.id) + "**: " + std::string(l.description) + ".\n\n[Documentation](" +
                   r.helpUri + ")\n";
  r.level = l.cwe.empty() ? "warning" : "error";
  r.securitySeverity = l.severity;
  if (!l.cwe.empty()) r.tags = {"security", "CWE-" + std::string(l.cwe)};
  r.message = l.message;
  r.argumentCount = l.message.find("{1}") != std::string_view::npos ? 2
                    : l.message.find("{0}") != std::string_view::npos ? 1
                                                                         : 0;
  r.sinkNoun = "expression";
  r.lang = Lang::JavaScript;
  return r;
}

RuleDef secretRule(std::string_view id) {
  RuleDef r;
  r.id = id;
  r.name = id;
  r.shortDescription = "Identified a " + std::string(id) + ", which may compromise the service it grants access to.";
  r.fullDescription = r.shortDescription;
  r.helpText = r.shortDescription + " Revoke the credential, remove it from history, and load it from a secret store.";
  r.helpMarkdown = r.helpText;
  r.level = "error";
  r.securitySeverity = "9.5";
  r.tags = {"secret", "CWE-798"};
  r.message = "{0} has detected secret for file {1}.";
  r.argumentCount = 2;
  r.sinkNoun = "secret";
  r.anyLanguage = true;
  return r;
}

bool ruleApplies(const RuleDef& r, Lang file) {
  if (r.anyLanguage) return true;
  if (r.lang == file) return true;
  return r.lang == Lang::JavaScript && file == Lang::TypeScript;
}

std::vector<std::size_t> shuffledTopics(Rng& rng) {
  std::vector<std::size_t> idx(cat::kTopics.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  for (std::size_t i = idx.size(); i > 1; --i) std::swap(idx[i - 1], idx[rng.below(i)]);
  return idx;
}

std::vector<RunDef> makeRuns(Rng& rng, const std::vector<SourceFile>& files) {
  std::vector<RunDef> runs;

  {  // CodeQL: 20 Go rules in the driver, 40 each in three query-pack extensions.
    RunDef run{};
    run.kind = ToolKind::CodeQL;
    run.driver = {"CodeQL", "2.15.3", {}};
    auto order = shuffledTopics(rng);
    for (std::size_t i = 0; i < 20; ++i) run.driver.rules.push_back(codeqlRule(rng, cat::kTopics[order[i]], Lang::Go));
    const std::array<std::pair<const char*, Lang>, 3> packs = {
        {{"codeql/java-queries", Lang::Java}, {"codeql/javascript-queries", Lang::JavaScript},
         {"codeql/python-queries", Lang::Python}}};
    // Real CodeQL logs list packs that contributed no rules too; the reader must skip them.
    run.extensions.push_back({"codeql/suite-helpers", "0.6.3", {}});
    for (const auto& [name, lang] : packs) {
      Component c{name, "0.8.3", {}};
      for (const Topic& t : cat::kTopics) c.rules.push_back(codeqlRule(rng, t, lang));
      run.extensions.push_back(std::move(c));
    }
    run.writesArtifacts = true;
    run.share = 400;
    run.codeFlows = 0.35;
    run.related = 0.2;
    runs.push_back(std::move(run));
  }
  {  // Semgrep: 90 framework rules and 10 configuration rules, all in the driver.
    RunDef run{};
    run.kind = ToolKind::Semgrep;
    run.driver = {"Semgrep OSS", "1.50.0", {}};
    for (const auto& fw : cat::kSemgrepFrameworks) {
      auto order = shuffledTopics(rng);
      for (std::size_t i = 0; i < 10; ++i) run.driver.rules.push_back(semgrepRule(cat::kTopics[order[i]], fw));
    }
    for (const auto& c : cat::kConfigRules) run.driver.rules.push_back(semgrepConfigRule(c));
    run.share = 350;
    run.codeFlows = 0.17;
    run.related = 0.06;
    runs.push_back(std::move(run));
  }
  {  // ESLint: 45 rules, results by ruleIndex.
    RunDef run{};
    run.kind = ToolKind::ESLint;
    run.driver = {"ESLint", "8.56.0", {}};
    for (const auto& l : cat::kLintRules) run.driver.rules.push_back(lintRule(l));
    run.writesArtifacts = true;
    run.share = 180;
    runs.push_back(std::move(run));
  }
  {  // Secrets: 15 rules, any file.
    RunDef run{};
    run.kind = ToolKind::Secrets;
    run.driver = {"gitleaks", "v8.18.1", {}};
    for (auto id : cat::kSecretRules) run.driver.rules.push_back(secretRule(id));
    run.share = 70;
    runs.push_back(std::move(run));
  }

  for (RunDef& run : runs) {
    auto add = [&](int component, const std::vector<RuleDef>& rules) {
      for (std::uint32_t i = 0; i < rules.size(); ++i)
        for (std::size_t l = 0; l < kLangCount; ++l)
          if (ruleApplies(rules[i], static_cast<Lang>(l))) run.rulesByLang[l].push_back({component, i});
    };
    add(-1, run.driver.rules);
    for (std::size_t e = 0; e < run.extensions.size(); ++e) add(static_cast<int>(e), run.extensions[e].rules);
    run.artifactIndex.assign(files.size(), -1);
    for (std::uint32_t f = 0; f < files.size(); ++f) {
      if (run.rulesByLang[langSlot(files[f].lang)].empty()) continue;
      if (run.writesArtifacts) run.artifactIndex[f] = static_cast<std::int64_t>(run.files.size());
      run.files.push_back(f);
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Writing

void writeRule(JsonOut& w, const RuleDef& r, ToolKind kind) {
  w.beginObject();
  w.field("id", r.id);
  if (!r.name.empty()) w.field("name", r.name);
  w.textObject("shortDescription", r.shortDescription);
  if (!r.fullDescription.empty()) w.textObject("fullDescription", r.fullDescription);
  w.objectField("defaultConfiguration");
  if (kind == ToolKind::CodeQL) w.field("enabled", true);
  w.field("level", r.level);
  w.endObject();
  w.objectField("help");
  w.field("text", r.helpText);
  w.field("markdown", r.helpMarkdown);
  w.endObject();
  if (!r.helpUri.empty()) w.field("helpUri", r.helpUri);
  if (!r.defaultMessage.empty()) {
    w.objectField("messageStrings");
    w.textObject("default", r.defaultMessage);
    w.endObject();
  }
  w.objectField("properties");
  if (!r.tags.empty()) {
    w.arrayField("tags");
    for (const auto& t : r.tags) w.string(t);
    w.endArray();
  }
  if (kind == ToolKind::CodeQL) {
    w.field("id", r.id);
    w.field("kind", r.kind);
    w.field("problem.severity", r.level == "note" ? "recommendation" : r.level);
  }
  if (!r.precision.empty()) w.field("precision", r.precision);
  if (!r.securitySeverity.empty()) w.field("security-severity", r.securitySeverity);
  w.endObject();
  w.endObject();
}

void writeComponent(JsonOut& w, const Component& c, ToolKind kind, bool driver) {
  w.beginObject();
  w.field("name", c.name);
  if (kind == ToolKind::ESLint) {
    w.field("informationUri", "https://eslint.org");
    w.field("version", c.version);
  } else {
    w.field("semanticVersion", c.version);
  }
  if (kind == ToolKind::CodeQL && driver) {
    w.field("organization", "GitHub");
    w.arrayField("notifications");
    w.endArray();
  }
  if (kind == ToolKind::CodeQL && !driver) {
    w.arrayField("locations");
    w.beginObject();
    w.field("uri", "file:///home/runner/work/_temp/codeql_packs/" + c.name + "/" + c.version + "/");
    w.textObject("description", "The QL pack root directory.");
    w.endObject();
    w.endArray();
  }
  if (kind == ToolKind::Secrets) w.field("informationUri", "https://github.com/gitleaks/gitleaks");
  w.arrayField("rules");
  for (const RuleDef& r : c.rules) writeRule(w, r, kind);
  w.endArray();
  w.endObject();
}

struct Span {
  std::uint32_t file;  // global file index
  std::uint32_t startLine, startColumn, endLine, endColumn;
  std::string snippet;
};

Span makeSpan(Rng& rng, const std::vector<SourceFile>& files, std::uint32_t file, std::uint32_t nearLine = 0) {
  Span s{};
  s.file = file;
  const std::uint32_t lines = files[file].lines;
  if (nearLine > 0)
    s.startLine = std::min(lines, std::max<std::uint32_t>(1, nearLine + rng.between(0, 24) - 12));
  else
    s.startLine = rng.between(1, lines);
  s.snippet = codeLine(rng, files[file].lang);
  const std::uint32_t indent = rng.pick(std::array<std::uint32_t, 4>{0, 4, 8, 12});
  s.startColumn = indent + 1 + rng.below(6);
  s.endLine = s.startLine;
  s.endColumn = s.startColumn + 3 + rng.below(static_cast<std::uint32_t>(s.snippet.size()));
  if (rng.chance(0.1)) {
    s.endLine = s.startLine + rng.between(1, 4);
    s.endColumn = 2 + rng.below(40);
  }
  return s;
}

enum class ArtifactStyle { Full, IndexOnly, UriOnly };

void writeArtifactLocation(JsonOut& w, const RunDef& run, const std::vector<SourceFile>& files, std::uint32_t file,
                           ArtifactStyle style) {
  w.objectField("artifactLocation");
  if (style != ArtifactStyle::IndexOnly) {
    w.field("uri", files[file].path);
    if (run.kind != ToolKind::Secrets) w.field("uriBaseId", "%SRCROOT%");
  }
  if (style != ArtifactStyle::UriOnly && run.artifactIndex[file] >= 0) w.field("index", run.artifactIndex[file]);
  w.endObject();
}

void writeRegion(JsonOut& w, const char* key, const Span& s, bool allFields, bool snippet) {
  w.objectField(key);
  w.field("startLine", s.startLine);
  w.field("startColumn", s.startColumn);
  if (allFields || s.endLine != s.startLine) w.field("endLine", s.endLine);
  w.field("endColumn", s.endColumn);
  if (snippet) w.textObject("snippet", s.snippet);
  w.endObject();
}

void writePhysical(JsonOut& w, Rng& rng, const RunDef& run, const std::vector<SourceFile>& files, const Span& s,
                   ArtifactStyle style, bool snippet, bool context) {
  w.objectField("physicalLocation");
  writeArtifactLocation(w, run, files, s.file, style);
  writeRegion(w, "region", s, run.kind != ToolKind::CodeQL, snippet);
  if (context) {
    // Two lines either side, as CodeQL writes with --sarif-add-snippets.
    Span c = s;
    c.startLine = s.startLine > 2 ? s.startLine - 2 : 1;
    c.endLine = s.endLine + 2;
    c.startColumn = 1;
    c.endColumn = 1;
    c.snippet.clear();
    for (std::uint32_t l = c.startLine; l <= c.endLine; ++l)
      c.snippet += (l == s.startLine ? s.snippet : codeLine(rng, files[s.file].lang)) + "\n";
    w.objectField("contextRegion");
    w.field("startLine", c.startLine);
    w.field("endLine", c.endLine);
    w.textObject("snippet", c.snippet);
    w.endObject();
  }
  w.endObject();
}

// Files are picked with a skew (a few files carry many findings, most carry a handful), and
// the rule is one that applies to the file's language.
std::uint32_t pickFile(Rng& rng, const RunDef& run) {
  const double u = rng.unit();
  const auto i = static_cast<std::size_t>(static_cast<double>(run.files.size()) * u * u);
  return run.files[std::min(i, run.files.size() - 1)];
}

std::uint32_t otherFileSameLang(Rng& rng, const RunDef& run, const std::vector<SourceFile>& files, std::uint32_t file) {
  for (int tries = 0; tries < 8; ++tries) {
    const std::uint32_t f = run.files[rng.below(run.files.size())];
    if (files[f].lang == files[file].lang) return f;
  }
  return file;
}

std::string formatArgs(std::string text, const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) replaceAll(text, "{" + num(i) + "}", args[i]);
  return text;
}

void writeCodeFlow(JsonOut& w, Rng& rng, const RunDef& run, const std::vector<SourceFile>& files, const Span& sink,
                   const std::string& source) {
  const std::uint32_t steps = rng.between(3, 8);
  const Lang lang = files[sink.file].lang;
  w.arrayField("codeFlows");
  w.beginObject();
  if (run.kind == ToolKind::Semgrep)
    w.textObject("message", "Untrusted dataflow from " + source + " to the sink");
  w.arrayField("threadFlows");
  w.beginObject();
  w.arrayField("locations");
  for (std::uint32_t i = 0; i < steps; ++i) {
    const bool last = i + 1 == steps;
    const std::uint32_t file = last || rng.chance(0.7) ? sink.file : otherFileSameLang(rng, run, files, sink.file);
    Span s = last ? sink : makeSpan(rng, files, file, file == sink.file ? sink.startLine : 0);
    std::string msg;
    if (i == 0)
      msg = source + (lang == Lang::Java ? " : String" : "");
    else if (last)
      msg = std::string(rng.pick(cat::kVars));
    else
      msg = std::string(rng.pick(cat::kVars)) + (lang == Lang::Java ? " : String" : "");
    w.beginObject();
    w.objectField("location");
    writePhysical(w, rng, run, files, s, ArtifactStyle::Full, run.kind == ToolKind::Semgrep, false);
    w.textObject("message", msg);
    w.endObject();
    if (run.kind == ToolKind::Semgrep) w.field("nestingLevel", 0);
    w.endObject();
  }
  w.endArray();
  w.endObject();
  w.endArray();
  w.endObject();
  w.endArray();
}

void writeResult(JsonOut& w, Rng& rng, const RunDef& run, const std::vector<SourceFile>& files) {
  const std::uint32_t file = pickFile(rng, run);
  const auto& candidates = run.rulesByLang[langSlot(files[file].lang)];
  const RuleRef ref = candidates[rng.below(candidates.size())];
  const RuleDef& rule = run.rule(ref);
  const Span primary = makeSpan(rng, files, file);
  const std::string source = sourceExpr(rng, files[file].lang);
  const bool hasRelated = rng.chance(run.related);
  const bool hasFlow = rng.chance(run.codeFlows);

  w.beginObject();
  w.field("ruleId", rule.id);
  if (run.kind == ToolKind::CodeQL) {
    if (ref.component < 0) {
      w.field("ruleIndex", ref.index);
    } else {
      // CodeQL writes ruleIndex next to rule; both index into the extension's rules.
      w.field("ruleIndex", ref.index);
      w.objectField("rule");
      w.field("id", rule.id);
      w.field("index", ref.index);
      w.objectField("toolComponent");
      w.field("index", ref.component);
      w.endObject();
      w.endObject();
    }
  } else if (run.kind == ToolKind::ESLint) {
    w.field("ruleIndex", ref.index);
  }
  // Semgrep and gitleaks leave the level to the rule's default, CodeQL does now and then.
  if (run.kind == ToolKind::ESLint || (run.kind == ToolKind::CodeQL && rng.chance(0.7)))
    w.field("level", rule.level);

  w.objectField("message");
  std::uint32_t relatedCount = 0;
  if (hasRelated) {
    relatedCount = rng.between(1, 3);
    std::string text = "This " + rule.sinkNoun + " depends on a [user-provided value](1)";
    if (relatedCount > 1) text += ", [a cookie](2)";
    if (relatedCount > 2) text += " and [a header value](3)";
    w.field("text", text + ".");
  } else if (run.kind == ToolKind::CodeQL && rng.chance(0.3)) {
    w.field("id", "default");
    w.arrayField("arguments");
    w.string(source);
    w.string(sinkName(rng));
    w.endArray();
  } else if (rule.argumentCount > 0) {
    std::vector<std::string> args;
    if (run.kind == ToolKind::Secrets)
      args = {rule.id, files[file].path};
    else if (run.kind == ToolKind::CodeQL)
      args = {std::string(rng.pick(cat::kVars)), source};
    else
      args = {std::string(rng.pick(cat::kVars)), num(rng.between(2, 400))};
    args.resize(static_cast<std::size_t>(rule.argumentCount));
    w.field("text", rule.message);
    if (run.kind == ToolKind::CodeQL && rng.chance(0.15))
      w.field("markdown", formatArgs(rule.message, {"`" + args[0] + "`", "`" + args[1] + "`"}));
    w.arrayField("arguments");
    for (const auto& a : args) w.string(a);
    w.endArray();
  } else {
    w.field("text", rule.message);
  }
  w.endObject();

  w.arrayField("locations");
  w.beginObject();
  ArtifactStyle style = ArtifactStyle::UriOnly;
  if (run.kind == ToolKind::CodeQL) style = ArtifactStyle::Full;
  if (run.kind == ToolKind::ESLint) style = rng.chance(0.25) ? ArtifactStyle::IndexOnly : ArtifactStyle::Full;
  const bool snippet = run.kind == ToolKind::Semgrep || run.kind == ToolKind::Secrets;
  const bool context = run.kind == ToolKind::CodeQL && rng.chance(0.3);
  Span shown = primary;
  if (run.kind == ToolKind::Secrets) shown.snippet = "REDACTED";
  writePhysical(w, rng, run, files, shown, style, snippet, context);
  w.endObject();
  w.endArray();

  // Fingerprints: CodeQL and the upload action write the line hash; Semgrep adds its match id;
  // gitleaks puts the commit it found the secret in.
  w.objectField("partialFingerprints");
  if (run.kind == ToolKind::Secrets) {
    w.field("commitSha", rng.hex(40));
    w.field("email", std::string(rng.pick(cat::kVars)) + "@example.com");
    w.field("author", std::string(rng.pick(cat::kNouns)) + " Developer");
    w.field("date", "2024-0" + num(rng.between(1, 9)) + "-1" + num(rng.below(10)) + "T10:2" + num(rng.below(10)) +
                        ":00Z");
  } else {
    w.field("primaryLocationLineHash", rng.hex(16) + ":" + num(rng.between(1, 3)));
    if (run.kind == ToolKind::CodeQL) w.field("primaryLocationStartColumnFingerprint", num(primary.startColumn - 1));
  }
  w.endObject();
  if (run.kind == ToolKind::Semgrep) {
    w.objectField("fingerprints");
    w.field("matchBasedId/v1", rng.hex(64));
    w.endObject();
  }

  if (hasFlow) writeCodeFlow(w, rng, run, files, primary, source);

  if (hasRelated) {
    w.arrayField("relatedLocations");
    for (std::uint32_t i = 1; i <= relatedCount; ++i) {
      const std::uint32_t rf = rng.chance(0.75) ? file : otherFileSameLang(rng, run, files, file);
      const Span s = makeSpan(rng, files, rf, rf == file ? primary.startLine : 0);
      w.beginObject();
      w.field("id", i);
      writePhysical(w, rng, run, files, s, style == ArtifactStyle::IndexOnly ? ArtifactStyle::Full : style, false,
                    false);
      w.textObject("message", i == 1 ? "user-provided value" : i == 2 ? "a cookie" : "a header value");
      w.endObject();
    }
    w.endArray();
  }

  if (run.kind == ToolKind::Semgrep && rng.chance(0.01)) {
    w.arrayField("suppressions");
    w.beginObject();
    w.field("kind", "inSource");
    w.endObject();
    w.endArray();
  }
  if (run.kind == ToolKind::ESLint && rng.chance(0.04)) {
    w.arrayField("fixes");
    w.beginObject();
    w.textObject("description", "Replace 'let' with 'const'");
    w.arrayField("artifactChanges");
    w.beginObject();
    writeArtifactLocation(w, run, files, file, ArtifactStyle::Full);
    w.arrayField("replacements");
    w.beginObject();
    w.objectField("deletedRegion");
    w.field("startLine", primary.startLine);
    w.field("startColumn", primary.startColumn);
    w.field("endLine", primary.startLine);
    w.field("endColumn", primary.startColumn + 3);
    w.endObject();
    w.textObject("insertedContent", "const");
    w.endObject();
    w.endArray();
    w.endObject();
    w.endArray();
    w.endObject();
    w.endArray();
  }
  w.endObject();
}

void writeRun(JsonOut& w, std::uint64_t seed, std::size_t runIndex, const RunDef& run,
              const std::vector<SourceFile>& files, std::uint64_t results) {
  Rng rng(seed * 0x100000001b3ULL + 0x51ed270b27d1ULL * (runIndex + 1));
  w.beginObject();
  w.objectField("tool");
  w.key("driver");
  writeComponent(w, run.driver, run.kind, true);
  if (!run.extensions.empty()) {
    w.arrayField("extensions");
    for (const Component& c : run.extensions) writeComponent(w, c, run.kind, false);
    w.endArray();
  }
  w.endObject();

  w.arrayField("invocations");
  w.beginObject();
  w.field("executionSuccessful", true);
  if (run.kind == ToolKind::CodeQL) {
    w.arrayField("toolExecutionNotifications");
    w.endArray();
  }
  w.endObject();
  w.endArray();

  if (run.kind == ToolKind::CodeQL) {
    w.objectField("originalUriBaseIds");
    w.objectField("%SRCROOT%");
    w.field("uri", "file:///home/runner/work/platform/platform/");
    w.endObject();
    w.endObject();
  }
  if (run.writesArtifacts) {
    w.arrayField("artifacts");
    for (std::uint32_t f : run.files) {
      w.beginObject();
      w.objectField("location");
      w.field("uri", files[f].path);
      w.field("uriBaseId", "%SRCROOT%");
      if (run.kind == ToolKind::CodeQL) w.field("index", run.artifactIndex[f]);
      w.endObject();
      w.endObject();
    }
    w.endArray();
  }

  w.arrayField("results");
  for (std::uint64_t i = 0; i < results; ++i) writeResult(w, rng, run, files);
  w.endArray();

  // CodeQL writes these after the results; a streaming reader must not depend on their order.
  if (run.kind == ToolKind::CodeQL) {
    w.objectField("automationDetails");
    w.field("id", "/language:java/");
    w.endObject();
    w.arrayField("versionControlProvenance");
    w.beginObject();
    w.field("repositoryUri", "https://github.com/acme/platform");
    w.field("revisionId", Rng(seed).hex(40));
    w.field("branch", "refs/heads/main");
    w.endObject();
    w.endArray();
    w.field("columnKind", "utf16CodeUnits");
    w.objectField("properties");
    w.field("semmle.formatSpecifier", "sarif-latest");
    w.endObject();
  }
  w.endObject();
}

// Writes the scanned tree itself: every generated path with as many lines of plausible code as
// the generator assumed, so the latency benchmark opens real files the way an editor does.
// The text depends only on the file seed, so reports made with other result seeds still fit.
bool writeSources(const std::string& root, const std::vector<SourceFile>& files, std::uint64_t fileSeed) {
  namespace fs = std::filesystem;
  std::string text;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const fs::path path = fs::path(root) / files[i].path;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    Rng rng(fileSeed * 0x2545f4914f6cdd1dULL + i);
    text.clear();
    for (std::uint32_t l = 0; l < files[i].lines; ++l) {
      text.append(rng.below(3) * 4, ' ');
      text += codeLine(rng, files[i].lang);
      text += '\n';
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    const bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (f && std::fclose(f) != 0) return false;
    if (!ok) {
      std::fprintf(stderr, "sarif_gen: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
      return false;
    }
  }
  return true;
}

struct Options {
  std::uint64_t results = 10000;
  std::uint64_t seed = 1;
  std::uint64_t fileSeed = 0;  // 0: same as seed
  std::string sources;
  std::uint32_t files = 2000;
  bool pretty = false;
  std::string output;
};

void usage(std::FILE* to) {
  std::fputs(
      "usage: sarif_gen --output PATH [--results N] [--seed S] [--files N] [--pretty]\n"
      "                 [--file-seed S] [--sources DIR]\n"
      "Writes a realistic SARIF 2.1.0 log with N results (default 10000) spread over four runs\n"
      "(CodeQL-, Semgrep-, ESLint- and gitleaks-like), about 300 rules and N files (default 2000).\n"
      "The same seeds always give the same bytes. PATH '-' writes to standard output.\n"
      "--file-seed picks the file tree and rules (default: --seed), so logs with different\n"
      "--seed can describe the same tree; --sources writes that tree's files under DIR.\n",
      to);
}

bool parseUnsigned(const char* text, std::uint64_t& out) {
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, out);
  return ec == std::errc() && ptr == end && ptr != text;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](std::uint64_t& out, std::uint64_t max) {
      if (i + 1 >= argc || !parseUnsigned(argv[i + 1], out) || out > max) {
        std::fprintf(stderr, "sarif_gen: %s needs a number up to %llu\n", argv[i],
                     static_cast<unsigned long long>(max));
        return false;
      }
      ++i;
      return true;
    };
    std::uint64_t files = 0;
    if (a == "--results") {
      if (!value(opt.results, 100'000'000)) return 2;
    } else if (a == "--seed") {
      if (!value(opt.seed, UINT64_MAX)) return 2;
    } else if (a == "--file-seed") {
      if (!value(opt.fileSeed, UINT64_MAX)) return 2;
    } else if (a == "--sources" && i + 1 < argc) {
      opt.sources = argv[++i];
    } else if (a == "--files") {
      if (!value(files, 1'000'000)) return 2;
      if (files < 10) {
        std::fputs("sarif_gen: --files must be at least 10\n", stderr);
        return 2;
      }
      opt.files = static_cast<std::uint32_t>(files);
    } else if (a == "--pretty") {
      opt.pretty = true;
    } else if ((a == "--output" || a == "-o") && i + 1 < argc) {
      opt.output = argv[++i];
    } else if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "sarif_gen: unknown argument '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (opt.output.empty()) {
    usage(stderr);
    return 2;
  }

  std::FILE* out = opt.output == "-" ? stdout : std::fopen(opt.output.c_str(), "wb");
  if (!out) {
    std::fprintf(stderr, "sarif_gen: cannot write %s: %s\n", opt.output.c_str(), std::strerror(errno));
    return 1;
  }

  const std::uint64_t fileSeed = opt.fileSeed ? opt.fileSeed : opt.seed;
  Rng catalogRng(fileSeed ^ 0xa5a5a5a5deadbeefULL);
  const std::vector<SourceFile> files = makeFiles(catalogRng, opt.files);
  const std::vector<RunDef> runs = makeRuns(catalogRng, files);
  if (!opt.sources.empty() && !writeSources(opt.sources, files, fileSeed)) return 1;

  std::uint64_t written = 0;
  std::uint64_t rulesTotal = 0;
  {
    JsonOut w(out, opt.pretty);
    w.beginObject();
    w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    w.field("version", "2.1.0");
    w.arrayField("runs");
    std::uint64_t assigned = 0;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const std::uint64_t n = r + 1 == runs.size() ? opt.results - assigned : opt.results * runs[r].share / 1000;
      assigned += n;
      writeRun(w, opt.seed, r, runs[r], files, n);
      rulesTotal += runs[r].driver.rules.size();
      for (const auto& e : runs[r].extensions) rulesTotal += e.rules.size();
    }
    w.endArray();
    w.endObject();
    w.finish();
    written = w.bytesWritten();
    if (w.failed()) {
      std::fprintf(stderr, "sarif_gen: write to %s failed: %s\n", opt.output.c_str(), std::strerror(errno));
      if (out != stdout) std::fclose(out);
      return 1;
    }
  }
  if (out != stdout ? std::fclose(out) != 0 : std::fflush(out) != 0) {
    std::fprintf(stderr, "sarif_gen: write to %s failed: %s\n", opt.output.c_str(), std::strerror(errno));
    return 1;
  }
  std::fprintf(stderr, "sarif_gen: %s: %llu results, %zu runs, %llu rules, %zu files, %llu bytes\n",
               opt.output.c_str(), static_cast<unsigned long long>(opt.results), runs.size(),
               static_cast<unsigned long long>(rulesTotal), files.size(), static_cast<unsigned long long>(written));
  return 0;
}
