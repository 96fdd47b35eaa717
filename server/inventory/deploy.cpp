// How the estate ships and runs: Dockerfiles (base image, exposed ports), docker-compose services,
// Kubernetes workloads and what routes traffic to them, Terraform resources open to the internet,
// and the scanners CI pipelines run. Each reader records facts with the line they come from;
// inventory.cpp decides which asset each fact belongs to.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <mutex>

#include "inventory/collect.h"
#include "support/uri.h"
#include "syntax/document.h"
#include "syntax/query.h"

namespace aspm::inventory::detail {
namespace {

std::uint32_t lineOf(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return m.line < 0 ? 0 : static_cast<std::uint32_t>(m.line + 1);
}

// Subscripts that never throw: yaml-cpp throws on subscripting scalars.
YAML::Node child(const YAML::Node& n, const char* key) {
  if (!n || !n.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  return n[key];
}

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }

// Every document of a YAML stream; a syntax error is a problem at its line and ends the stream
// (the documents before it are kept).
std::vector<YAML::Node> loadDocuments(const Repo& repo, const RepoFile& file, const std::string& text) {
  try {
    return YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    repo.problem(file.rel, e.mark.line < 0 ? 0 : static_cast<std::uint32_t>(e.mark.line + 1),
                 "invalid YAML: " + e.msg);
  }
  return {};
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

bool isDockerfile(std::string_view rel) {
  const std::string b = lower(baseName(rel));
  return b == "dockerfile" || b.starts_with("dockerfile.") || b.ends_with(".dockerfile") || b == "containerfile";
}

bool isComposeFile(std::string_view rel) {
  const std::string b = lower(baseName(rel));
  return (b.starts_with("docker-compose") || b.starts_with("compose")) && (b.ends_with(".yml") || b.ends_with(".yaml"));
}

bool isPipelineFile(std::string_view rel) {
  const std::string l = lower(rel);
  const std::string b = baseName(l);
  if (l.starts_with(".github/workflows/") && (b.ends_with(".yml") || b.ends_with(".yaml"))) return true;
  return l == ".gitlab-ci.yml" || b == "jenkinsfile" || b == "azure-pipelines.yml" || b == "azure-pipelines.yaml" ||
         l == ".github/dependabot.yml" || l == ".github/dependabot.yaml" || l == "bitbucket-pipelines.yml" ||
         l == ".circleci/config.yml";
}

// ---- Dockerfile -------------------------------------------------------------------------------

void collectDockerfile(const Repo&, const RepoFile& file, const std::string& text, Collected& out) {
  const std::string dir = dirOf(file.rel);
  out.dockerDirs.insert(dir);
  const auto lines = splitLines(text);
  std::string base;
  std::uint32_t baseLine = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string line = trim(lines[i]);
    const std::string l = lower(line);
    const auto ln = static_cast<std::uint32_t>(i + 1);
    if (l.starts_with("from ")) {
      // The last stage is what runs; "FROM image AS name" keeps only the image.
      std::string rest = trim(std::string_view(line).substr(5));
      if (rest.starts_with("--")) rest = rest.substr(std::min(rest.size(), rest.find(' ') + 1));
      base = rest.substr(0, rest.find(' '));
      baseLine = ln;
    } else if (l.starts_with("expose ")) {
      out.facts.push_back({true, dir, "", "", Exposure::Unknown,
                           {file.rel, ln, "container listens on port " + trim(std::string_view(line).substr(7))}});
    }
  }
  if (!base.empty())
    out.facts.push_back({true, dir, "", "", Exposure::Unknown, {file.rel, baseLine, "container image built from " + base}});
  else
    out.facts.push_back({true, dir, "", "", Exposure::Unknown, {file.rel, 0, "Dockerfile builds a container image"}});
}

// ---- docker-compose ---------------------------------------------------------------------------

void collectCompose(const Repo& repo, const RepoFile& file, const std::string& text, Collected& out) {
  const std::string composeDir = dirOf(file.rel);
  for (const auto& doc : loadDocuments(repo, file, text)) {
    const YAML::Node services = child(doc, "services");
    if (!services || !services.IsMap()) continue;
    for (const auto& entry : services) {
      const std::string name = scalar(entry.first);
      const YAML::Node svc = entry.second;
      const YAML::Node build = child(svc, "build");
      std::string context;
      if (build && build.IsScalar()) context = build.Scalar();
      else if (build && build.IsMap()) context = scalar(child(build, "context"));
      const std::string image = scalar(child(svc, "image"));
      Fact base;
      base.unitName = name;
      if (build) {
        base.hasDir = true;
        base.dir = joinPath(composeDir, context.empty() ? "." : context);
      }
      else base.image = image;
      if (build && !image.empty()) out.imageDirs[imageShortName(image)] = base.dir;
      if (!base.hasDir && base.image.empty()) continue;
      Fact decl = base;
      decl.evidence = {file.rel, lineOf(entry.first), "docker-compose service " + name};
      out.facts.push_back(decl);
      const YAML::Node ports = child(svc, "ports");
      if (!ports || !ports.IsSequence()) continue;
      for (const auto& p : ports) {
        std::string published = p.IsScalar() ? p.Scalar() : scalar(child(p, "published"));
        if (published.empty()) continue;
        // "8080" alone publishes a random host port; any form still opens the container to the
        // host network, which is what a development deployment is.
        Fact f = base;
        f.exposure = Exposure::Internal;
        f.evidence = {file.rel, lineOf(p),
                      "docker-compose publishes port " + published + " of service " + name + " on the host"};
        out.facts.push_back(f);
      }
    }
  }
}

// ---- Kubernetes -------------------------------------------------------------------------------

namespace {

std::map<std::string, std::string> stringMap(const YAML::Node& n) {
  std::map<std::string, std::string> m;
  if (n && n.IsMap())
    for (const auto& kv : n) m[scalar(kv.first)] = scalar(kv.second);
  return m;
}

YAML::Node podTemplate(const YAML::Node& doc, const std::string& kind) {
  if (kind == "Pod") return doc;
  if (kind == "CronJob") return child(child(child(child(doc, "spec"), "jobTemplate"), "spec"), "template");
  return child(child(doc, "spec"), "template");
}

}  // namespace

bool collectKubernetes(const Repo& repo, const RepoFile& file, const std::string& text, Collected& out) {
  bool any = false;
  for (const auto& doc : loadDocuments(repo, file, text)) {
    const std::string kind = scalar(child(doc, "kind"));
    if (kind.empty() || scalar(child(doc, "apiVersion")).empty()) continue;
    any = true;
    const YAML::Node meta = child(doc, "metadata");
    const std::string name = scalar(child(meta, "name"));
    const Evidence at{file.rel, lineOf(child(doc, "kind")), kind + " " + name};
    if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet" ||
        kind == "Job" || kind == "CronJob" || kind == "Pod") {
      KubeWorkload w{kind, name, {}, {}, at};
      const YAML::Node tmpl = podTemplate(doc, kind);
      w.labels = stringMap(child(child(tmpl, "metadata"), "labels"));
      const YAML::Node containers = child(child(tmpl, "spec"), "containers");
      if (containers && containers.IsSequence())
        for (const auto& c : containers) {
          const YAML::Node image = child(c, "image");
          if (!scalar(image).empty()) w.images.emplace_back(scalar(image), lineOf(image));
        }
      out.workloads.push_back(std::move(w));
    } else if (kind == "Service") {
      const YAML::Node spec = child(doc, "spec");
      const YAML::Node type = child(spec, "type");
      KubeService s{name, scalar(type).empty() ? "ClusterIP" : scalar(type), stringMap(child(spec, "selector")), false,
                   {file.rel, type ? lineOf(type) : at.line, ""}};
      for (const auto& [k, v] : stringMap(child(meta, "annotations"))) {
        const std::string lv = lower(v);
        if ((k.find("load-balancer-internal") != std::string::npos && lv == "true") ||
            (k.find("load-balancer-type") != std::string::npos && lv == "internal") ||
            (k.find("aws-load-balancer-scheme") != std::string::npos && lv == "internal"))
          s.internalLb = true;
      }
      out.kubeServices.push_back(std::move(s));
    } else if (kind == "Ingress") {
      const YAML::Node spec = child(doc, "spec");
      auto addBackend = [&](const YAML::Node& backend, const std::string& host) {
        YAML::Node svcName = child(child(backend, "service"), "name");
        if (!svcName) svcName = child(backend, "serviceName");
        if (scalar(svcName).empty()) return;
        out.kubeRoutes.push_back({scalar(svcName), {file.rel, lineOf(svcName),
                                               "Ingress " + name + (host.empty() ? "" : " (host " + host + ")") +
                                                   " routes external traffic to Service " + scalar(svcName)}});
      };
      addBackend(child(spec, "defaultBackend"), "");
      const YAML::Node rules = child(spec, "rules");
      if (rules && rules.IsSequence())
        for (const auto& r : rules) {
          const YAML::Node paths = child(child(r, "http"), "paths");
          if (!paths || !paths.IsSequence()) continue;
          for (const auto& p : paths) addBackend(child(p, "backend"), scalar(child(r, "host")));
        }
    } else if (kind == "HTTPRoute" || kind == "GRPCRoute" || kind == "TLSRoute" || kind == "TCPRoute") {
      const YAML::Node rules = child(child(doc, "spec"), "rules");
      if (rules && rules.IsSequence())
        for (const auto& r : rules) {
          const YAML::Node refs = child(r, "backendRefs");
          if (!refs || !refs.IsSequence()) continue;
          for (const auto& ref : refs) {
            const YAML::Node n = child(ref, "name");
            if (scalar(n).empty()) continue;
            out.kubeRoutes.push_back({scalar(n), {file.rel, lineOf(n),
                                             kind + " " + name + " routes Gateway traffic to Service " + scalar(n)}});
          }
        }
    }
  }
  return any;
}

void linkKubernetes(Collected& out) {
  auto selects = [](const KubeService& s, const KubeWorkload& w) {
    if (s.selector.empty()) return false;
    for (const auto& [k, v] : s.selector) {
      auto it = w.labels.find(k);
      if (it == w.labels.end() || it->second != v) return false;
    }
    return true;
  };
  for (const auto& w : out.workloads) {
    std::vector<Evidence> reasons;  // with their exposure
    std::vector<Exposure> levels;
    for (const auto& s : out.kubeServices) {
      if (!selects(s, w)) continue;
      bool routed = false;
      for (const auto& r : out.kubeRoutes) {
        if (r.backend != s.name) continue;
        routed = true;
        reasons.push_back(r.at);
        levels.push_back(Exposure::Internet);
      }
      if ((s.type == "LoadBalancer" || s.type == "NodePort") && !s.internalLb) {
        reasons.push_back({s.at.file, s.at.line, "Service " + s.name + " of type " + s.type + " exposes " + w.kind + " " +
                                                     w.name + " outside the cluster"});
        levels.push_back(Exposure::Internet);
      } else if (!routed) {
        reasons.push_back({s.at.file, s.at.line,
                           "Service " + s.name + " (" + (s.internalLb ? "internal load balancer" : s.type) +
                               ") reaches " + w.kind + " " + w.name + " only inside the network"});
        levels.push_back(Exposure::Internal);
      }
    }
    if (reasons.empty()) {
      reasons.push_back({w.at.file, w.at.line, w.kind + " " + w.name + " has no Service: nothing routes traffic to it"});
      levels.push_back(Exposure::None);
    }
    for (const auto& [image, line] : w.images) {
      out.facts.push_back({false, "", image, w.name, Exposure::Unknown,
                           {w.at.file, line, w.kind + " " + w.name + " runs image " + image}});
      for (std::size_t i = 0; i < reasons.size(); ++i) out.facts.push_back({false, "", image, w.name, levels[i], reasons[i]});
    }
  }
}

// ---- Terraform --------------------------------------------------------------------------------

namespace {

struct Block {
  std::uint32_t start = 0, end = 0, line = 0;
  std::string type;
  std::vector<std::string> labels;
};
struct Attribute {
  std::uint32_t start = 0, line = 0;
  std::string key, value;
};

// Compiled once per process; discovery may run on several threads (CLI, language server).
const syntax::Query* hclQuery(std::string_view source) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<syntax::Query>, std::less<>> cache;
  const std::lock_guard lock(mutex);
  auto it = cache.find(source);
  if (it == cache.end()) {
    auto compiled = syntax::compileQuery(syntax::Language::Hcl, source, "inventory/terraform");
    it = cache.emplace(std::string(source), std::move(compiled.query)).first;
  }
  return it->second.get();
}

std::string textOf(const std::string& text, const syntax::Capture& c) {
  return text.substr(c.startByte, c.endByte - c.startByte);
}

bool openToWorld(std::string_view value) {
  return value.find("0.0.0.0/0") != std::string_view::npos || value.find("::/0") != std::string_view::npos;
}

}  // namespace

void collectTerraform(const Repo& repo, const std::vector<const RepoFile*>& files, Collected& out) {
  if (files.empty()) return;
  Asset infra;
  infra.kind = AssetKind::Infrastructure;
  infra.path = dirOf(files.front()->rel);
  infra.name = infra.path.empty() ? repo.rootName : baseName(infra.path);
  infra.languages = {"hcl"};
  bool lbInternal = false;
  Evidence internalAt;
  auto exposeInternet = [&](Evidence e) {
    if (infra.exposure != Exposure::Internet) {
      infra.exposure = Exposure::Internet;
      infra.exposureEvidence = e;
    }
    infra.evidence.push_back(std::move(e));
  };
  for (const RepoFile* file : files) {
    infra.manifests.push_back(file->rel);
    auto text = repo.read(*file);
    if (!text) continue;
    syntax::Document doc(syntax::Language::Hcl, *text);
    if (doc.hasErrors()) {
      std::uint32_t line = 0;
      for (const char* q : {"(ERROR) @e", "(MISSING) @e"}) {
        if (const syntax::Query* query = hclQuery(q)) {
          auto run = syntax::runQuery(*query, doc);
          if (!run.matches.empty()) {
            line = run.matches.front().captures.front().startLine + 1;
            break;
          }
        }
      }
      repo.problem(file->rel, line, "Terraform syntax error; resources after it may be missed");
    }
    const syntax::Query* blockQ = hclQuery("(block (identifier) @type) @block");
    const syntax::Query* labelQ = hclQuery("(block (string_lit (template_literal) @label)) @block");
    const syntax::Query* attrQ = hclQuery("(attribute (identifier) @key (expression) @value) @attr");
    if (!blockQ || !labelQ || !attrQ) continue;
    std::map<std::uint32_t, Block> blocks;  // by start byte
    for (const auto& m : syntax::runQuery(*blockQ, doc).matches) {
      Block b;
      for (const auto& c : m.captures) {
        if (c.name == "block") {
          b.start = c.startByte;
          b.end = c.endByte;
          b.line = c.startLine + 1;
        } else if (c.name == "type") {
          b.type = textOf(*text, c);
        }
      }
      blocks[b.start] = b;
    }
    for (const auto& m : syntax::runQuery(*labelQ, doc).matches) {
      std::uint32_t start = 0;
      std::string label;
      for (const auto& c : m.captures) {
        if (c.name == "block") start = c.startByte;
        else label = textOf(*text, c);
      }
      if (auto it = blocks.find(start); it != blocks.end()) it->second.labels.push_back(label);
    }
    std::vector<Attribute> attrs;
    for (const auto& m : syntax::runQuery(*attrQ, doc).matches) {
      Attribute a;
      for (const auto& c : m.captures) {
        if (c.name == "attr") {
          a.start = c.startByte;
          a.line = c.startLine + 1;
        } else if (c.name == "key") {
          a.key = textOf(*text, c);
        } else if (c.name == "value") {
          a.value = textOf(*text, c);
        }
      }
      attrs.push_back(std::move(a));
    }
    // The innermost block holding a byte, and the top-level resource around it.
    auto enclosing = [&](std::uint32_t at, bool outermost) -> const Block* {
      const Block* best = nullptr;
      for (const auto& [start, b] : blocks) {
        if (start > at) break;
        if (at >= b.end) continue;
        if (!best || (outermost ? b.end - b.start > best->end - best->start : b.end - b.start < best->end - best->start))
          best = &b;
      }
      return best;
    };
    auto attrOf = [&](const Block& b, std::string_view key) -> const Attribute* {
      for (const auto& a : attrs)
        if (a.key == key && a.start >= b.start && a.start < b.end && enclosing(a.start, false) == &b) return &a;
      return nullptr;
    };
    for (const auto& [start, b] : blocks) {
      if (b.type != "resource" || b.labels.size() < 2 || enclosing(start, true) != &b) continue;
      const std::string& rtype = b.labels[0];
      const std::string id = rtype + "." + b.labels[1];
      if (rtype == "aws_lb" || rtype == "aws_alb" || rtype == "aws_elb") {
        const Attribute* internal = attrOf(b, "internal");
        if (internal && trim(internal->value) == "true") {
          lbInternal = true;
          internalAt = {file->rel, internal->line, "load balancer " + id + " is internal"};
          infra.evidence.push_back(internalAt);
        } else if (internal) {
          exposeInternet({file->rel, internal->line, "load balancer " + id + " is internet-facing (internal = " +
                                                        trim(internal->value) + ")"});
        } else {
          exposeInternet({file->rel, b.line, "load balancer " + id + " is internet-facing (internal defaults to false)"});
        }
      } else if (rtype == "aws_api_gateway_rest_api" || rtype == "aws_apigatewayv2_api") {
        bool priv = false;
        for (const auto& a : attrs)
          if (a.key == "types" && a.start > b.start && a.start < b.end && a.value.find("PRIVATE") != std::string::npos)
            priv = true;
        if (!priv) exposeInternet({file->rel, b.line, "API gateway " + id + " has a public endpoint"});
      }
      for (const auto& a : attrs) {
        if (a.start < b.start || a.start >= b.end) continue;
        const Block* inner = enclosing(a.start, false);
        const std::string innerType = inner ? inner->type : "";
        const std::string v = unquote(trim(a.value));
        if ((rtype == "aws_security_group" && innerType == "ingress" && (a.key == "cidr_blocks" || a.key == "ipv6_cidr_blocks") &&
             openToWorld(a.value)) ||
            (rtype == "aws_vpc_security_group_ingress_rule" && (a.key == "cidr_ipv4" || a.key == "cidr_ipv6") &&
             openToWorld(a.value)) ||
            (rtype == "google_compute_firewall" && a.key == "source_ranges" && openToWorld(a.value))) {
          exposeInternet({file->rel, a.line, "security rule " + id + " allows ingress from " + v});
        } else if (rtype == "aws_security_group_rule" && (a.key == "cidr_blocks" || a.key == "ipv6_cidr_blocks") &&
                   openToWorld(a.value)) {
          const Attribute* type = attrOf(b, "type");
          if (type && unquote(trim(type->value)) == "ingress")
            exposeInternet({file->rel, a.line, "security rule " + id + " allows ingress from " + v});
        } else if ((rtype == "aws_s3_bucket" || rtype == "aws_s3_bucket_acl") && a.key == "acl" &&
                   v.starts_with("public-read")) {
          exposeInternet({file->rel, a.line, "bucket ACL of " + id + " is " + v});
        } else if (rtype == "aws_s3_bucket_public_access_block" && trim(a.value) == "false" &&
                   (a.key == "block_public_acls" || a.key == "block_public_policy" || a.key == "ignore_public_acls" ||
                    a.key == "restrict_public_buckets")) {
          exposeInternet({file->rel, a.line, id + " sets " + a.key + " = false: the bucket can be made public"});
        } else if ((rtype == "google_storage_bucket_iam_member" || rtype == "google_storage_bucket_iam_binding") &&
                   (a.key == "member" || a.key == "members") &&
                   (a.value.find("allUsers") != std::string::npos || a.value.find("allAuthenticatedUsers") != std::string::npos)) {
          exposeInternet({file->rel, a.line, "bucket " + id + " grants access to " + v});
        }
      }
    }
  }
  if (infra.exposure == Exposure::Unknown && lbInternal) {
    infra.exposure = Exposure::Internal;
    infra.exposureEvidence = internalAt;
  }
  std::sort(infra.manifests.begin(), infra.manifests.end());
  out.assets.push_back(std::move(infra));
}

// ---- Pipelines --------------------------------------------------------------------------------

namespace {

struct ScanTool {
  const char* needle;  // lower-case text that shows the tool runs
  const char* kind;
  const char* tool;
};

// More specific needles first: "snyk iac" is IaC, a bare "snyk" is SCA.
constexpr std::array kScanTools{
    ScanTool{"codeql", "sast", "codeql"},        ScanTool{"semgrep", "sast", "semgrep"},
    ScanTool{"bandit", "sast", "bandit"},        ScanTool{"eslint", "sast", "eslint"},
    ScanTool{"flawfinder", "sast", "flawfinder"}, ScanTool{"cppcheck", "sast", "cppcheck"},
    ScanTool{"gosec", "sast", "gosec"},          ScanTool{"spotbugs", "sast", "spotbugs"},
    ScanTool{"snyk code", "sast", "snyk code"},  ScanTool{"snyk iac", "iac", "snyk iac"},
    ScanTool{"trivy config", "iac", "trivy config"}, ScanTool{"scan-type: config", "iac", "trivy config"},
    ScanTool{"scan-type: 'config'", "iac", "trivy config"}, ScanTool{"checkov", "iac", "checkov"},
    ScanTool{"tfsec", "iac", "tfsec"},           ScanTool{"kics", "iac", "kics"},
    ScanTool{"terrascan", "iac", "terrascan"},   ScanTool{"trivy fs", "sca", "trivy fs"},
    ScanTool{"scan-type: fs", "sca", "trivy fs"}, ScanTool{"scan-type: 'fs'", "sca", "trivy fs"},
    ScanTool{"osv-scanner", "sca", "osv-scanner"}, ScanTool{"npm audit", "sca", "npm audit"},
    ScanTool{"yarn audit", "sca", "yarn audit"}, ScanTool{"pip-audit", "sca", "pip-audit"},
    ScanTool{"snyk", "sca", "snyk"},             ScanTool{"grype", "sca", "grype"},
    ScanTool{"dependency-check", "sca", "dependency-check"}, ScanTool{"package-ecosystem", "sca", "dependabot"},
    ScanTool{"gitleaks", "secrets", "gitleaks"}, ScanTool{"trufflehog", "secrets", "trufflehog"},
    ScanTool{"detect-secrets", "secrets", "detect-secrets"},
};

// The repository directory a scanner line limits itself to ("semgrep scan services/api"), if any.
std::string scopeOf(const Repo& repo, const std::string& base, std::string_view line) {
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '=' || line[i] == ',')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != ',') ++j;
    std::string token(line.substr(i, j - i));
    // Quotes of the surrounding shell or YAML string ("sh 'gosec ./x/...'") are not the path.
    while (!token.empty() && (token.front() == '\'' || token.front() == '"')) token.erase(0, 1);
    while (!token.empty() && (token.back() == '\'' || token.back() == '"')) token.pop_back();
    while (token.starts_with("./")) token.erase(0, 2);
    if (token.ends_with("/...")) token.resize(token.size() - 4);  // Go package patterns
    while (!token.empty() && token.back() == '/') token.pop_back();
    if (!token.empty() && token != ".") {
      // Relative to the pipeline's own directory first (a nested Jenkinsfile), then the root.
      const std::string nested = joinPath(base, token);
      if (!base.empty() && repo.dirs.count(nested)) return nested;
      if (repo.dirs.count(token)) return token;
    }
    i = j;
  }
  return base;
}

}  // namespace

void collectPipeline(const Repo& repo, const RepoFile& file, const std::string& text, Collected& out) {
  Asset p;
  p.kind = AssetKind::Pipeline;
  p.path = file.rel;
  p.manifests = {file.rel};
  p.exposure = Exposure::None;
  const std::string b = lower(baseName(file.rel));
  p.name = file.rel;
  if (b.ends_with(".yml") || b.ends_with(".yaml")) {
    const auto docs = loadDocuments(repo, file, text);
    if (!docs.empty() && !scalar(child(docs.front(), "name")).empty()) p.name = scalar(child(docs.front(), "name"));
    p.languages = {"yaml"};
  }
  const auto lines = splitLines(text);
  std::set<std::string> kinds;
  // GitHub Actions and CircleCI files live in a fixed directory and run from the repository root.
  const std::string lrel = lower(file.rel);
  const std::string base = lrel.starts_with(".github/") || lrel.starts_with(".circleci/") ? "" : dirOf(file.rel);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string l = lower(lines[i]);
    const std::string t = trim(l);
    if (t.starts_with("#") || t.starts_with("//")) continue;
    // Naming a tool is not running it: job names ("bandit:"), step names, the image a job runs
    // in and installing the tool are skipped, so they do not widen the scope of a scoped run.
    std::string_view body = t;
    if (body.starts_with("- ")) body.remove_prefix(2);
    if (body.ends_with(":") || body.starts_with("name:") || body.starts_with("image:") ||
        body.find(" install ") != std::string_view::npos)
      continue;
    for (const auto& tool : kScanTools) {
      if (l.find(tool.needle) == std::string::npos) continue;
      const auto ln = static_cast<std::uint32_t>(i + 1);
      // A pipeline file below the root (only Jenkins and Azure allow that) is taken to scan its
      // own directory unless it names another: claiming the whole repository would overstate
      // coverage.
      const std::string scope = scopeOf(repo, base, lines[i]);
      Evidence e{file.rel, ln,
                 std::string("runs ") + tool.tool + " (" + tool.kind + ")" + (scope.empty() ? "" : " on " + scope)};
      kinds.insert(tool.kind);
      p.evidence.push_back(e);
      out.scans.push_back({tool.kind, tool.tool, scope, e});
      break;  // one tool per line
    }
  }
  p.scans.assign(kinds.begin(), kinds.end());
  out.assets.push_back(std::move(p));
}

}  // namespace aspm::inventory::detail
