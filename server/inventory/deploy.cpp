// How the estate ships and runs: Dockerfiles (base image, exposed ports), docker-compose services,
// Kubernetes workloads and what routes traffic to them, Terraform resources open to the internet,
// and the scanners CI pipelines run. Each reader records facts with the line they come from;
// inventory.cpp decides which asset each fact belongs to.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

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
    const YAML::Node nsNode = child(meta, "namespace");
    const std::string ns = scalar(nsNode) == "default" ? std::string() : scalar(nsNode);
    if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet" ||
        kind == "Job" || kind == "CronJob" || kind == "Pod") {
      KubeWorkload w{kind, name, {}, {}, at, ns, ns.empty() ? 0 : lineOf(nsNode)};
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
                   {file.rel, type ? lineOf(type) : at.line, ""}, ns};
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
        out.kubeRoutes.push_back({scalar(svcName),
                                  {file.rel, lineOf(svcName),
                                   "Ingress " + name + (host.empty() ? "" : " (host " + host + ")") +
                                       " routes external traffic to Service " + scalar(svcName)},
                                  ns});
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
            // A backendRef may name another namespace (allowed by a ReferenceGrant).
            const std::string refNs = scalar(child(ref, "namespace"));
            out.kubeRoutes.push_back({scalar(n),
                                      {file.rel, lineOf(n), kind + " " + name + " routes Gateway traffic to Service " + scalar(n)},
                                      refNs.empty() ? ns : refNs == "default" ? std::string() : refNs});
          }
        }
    }
  }
  return any;
}

namespace {

// Names that suggest a namespace nothing outside reaches. A name is no network boundary, so it
// is said in the evidence but decides nothing.
bool soundsInternal(const std::string& ns) {
  const std::string l = lower(ns);
  return l == "kube-system" || l == "kube-public" || l == "kube-node-lease" || l.find("internal") != std::string::npos ||
         l.find("private") != std::string::npos || l.find("backend") != std::string::npos ||
         l.find("system") != std::string::npos || l == "jobs" || l == "workers" || l == "batch";
}

std::string inNamespace(const std::string& ns) { return ns.empty() ? std::string() : " in namespace " + ns; }

}  // namespace

void linkKubernetes(Collected& out) {
  auto selects = [](const KubeService& s, const KubeWorkload& w) {
    if (s.selector.empty() || s.ns != w.ns) return false;
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
        if (r.backend != s.name || r.ns != s.ns) continue;
        routed = true;
        reasons.push_back(r.at);
        levels.push_back(Exposure::Internet);
      }
      if ((s.type == "LoadBalancer" || s.type == "NodePort") && !s.internalLb) {
        reasons.push_back({s.at.file, s.at.line, "Service " + s.name + " of type " + s.type + " exposes " + w.kind + " " +
                                                     w.name + inNamespace(w.ns) + " outside the cluster"});
        levels.push_back(Exposure::Internet);
      } else if (!routed) {
        reasons.push_back({s.at.file, s.at.line,
                           "Service " + s.name + " (" + (s.internalLb ? "internal load balancer" : s.type) +
                               ") reaches " + w.kind + " " + w.name + inNamespace(w.ns) + " only inside the network"});
        levels.push_back(Exposure::Internal);
      }
    }
    if (reasons.empty()) {
      reasons.push_back({w.at.file, w.at.line,
                         w.kind + " " + w.name + inNamespace(w.ns) + " has no Service: nothing routes traffic to it"});
      levels.push_back(Exposure::None);
    }
    for (const auto& [image, line] : w.images) {
      out.facts.push_back({false, "", image, w.name, Exposure::Unknown,
                           {w.at.file, line, w.kind + " " + w.name + " runs image " + image}});
      if (!w.ns.empty())
        out.facts.push_back(
            {false, "", image, w.name, Exposure::Unknown,
             {w.at.file, w.nsLine,
              w.kind + " " + w.name + " runs in namespace " + w.ns +
                  (soundsInternal(w.ns) ? " (the name suggests an internal namespace; a namespace is no network boundary, "
                                          "so its Services and Ingresses decide the exposure)"
                                        : "")}});
      for (std::size_t i = 0; i < reasons.size(); ++i) out.facts.push_back({false, "", image, w.name, levels[i], reasons[i]});
    }
  }
}

// ---- Helm values ------------------------------------------------------------------------------

namespace {

// "image: repo:tag", or the chart convention {registry?, repository, tag?}.
std::pair<std::string, std::uint32_t> helmImage(const YAML::Node& values) {
  const YAML::Node image = child(values, "image");
  if (image && image.IsScalar()) return {image.Scalar(), lineOf(image)};
  const YAML::Node repo = child(image, "repository");
  if (scalar(repo).empty()) return {"", 0};
  std::string ref = scalar(repo);
  if (const std::string registry = scalar(child(image, "registry")); !registry.empty()) ref = registry + "/" + ref;
  if (const std::string tag = scalar(child(image, "tag")); !tag.empty()) ref += ":" + tag;
  else if (const std::string digest = scalar(child(image, "digest")); !digest.empty()) ref += "@" + digest;
  return {ref, lineOf(repo)};
}

bool truthy(const YAML::Node& n) {
  const std::string v = lower(scalar(n));
  return v == "true" || v == "yes" || v == "on";
}

}  // namespace

void collectHelmValues(const Repo& repo, const RepoFile& file, const std::string& text, const std::string& chartYaml,
                       Collected& out) {
  HelmChart chart;
  chart.dir = dirOf(file.rel);
  chart.manifests = {joinPath(chart.dir, "Chart.yaml"), file.rel};
  try {
    const YAML::Node meta = YAML::Load(chartYaml);
    chart.name = scalar(child(meta, "name"));
  } catch (const YAML::Exception& e) {
    repo.problem(chart.manifests.front(), e.mark.line < 0 ? 0 : static_cast<std::uint32_t>(e.mark.line + 1),
                 "invalid YAML: " + e.msg);
  }
  if (chart.name.empty()) chart.name = chart.dir.empty() ? repo.rootName : baseName(chart.dir);
  const auto docs = loadDocuments(repo, file, text);
  if (docs.empty() || !docs.front().IsMap()) return;
  const YAML::Node& values = docs.front();
  const std::string what = "Helm chart " + chart.name;
  // The chart's own values, then those of subcharts (an umbrella chart configures each under
  // its name); each section with an image or a service is one deployable unit.
  std::vector<std::pair<std::string, YAML::Node>> sections{{"", values}};
  for (const auto& kv : values) {
    const YAML::Node v = kv.second;
    if (v.IsMap() && (child(v, "image") || child(v, "service") || child(v, "ingress")))
      sections.emplace_back(scalar(kv.first), v);
  }
  for (const auto& [section, node] : sections) {
    const std::string unit = section.empty() ? chart.name : section;
    const std::string prefix = section.empty() ? std::string() : section + ".";
    const auto [image, imageLine] = helmImage(node);
    std::vector<Fact> facts;
    auto fact = [&](Exposure e, std::uint32_t line, std::string why) {
      facts.push_back({false, "", image, unit, e, {file.rel, line, std::move(why)}});
    };
    if (!image.empty()) fact(Exposure::Unknown, imageLine, what + " runs image " + image);
    const YAML::Node service = child(node, "service");
    const YAML::Node type = child(service, "type");
    bool internalLb = false;
    if (const YAML::Node annotations = child(service, "annotations"); annotations && annotations.IsMap())
      for (const auto& kv : annotations) {
        const std::string k = scalar(kv.first), v = lower(scalar(kv.second));
        if ((k.find("load-balancer-internal") != std::string::npos && v == "true") ||
            (k.find("load-balancer-type") != std::string::npos && v == "internal") ||
            (k.find("aws-load-balancer-scheme") != std::string::npos && v == "internal"))
          internalLb = true;
      }
    const std::string t = scalar(type);
    if ((t == "LoadBalancer" || t == "NodePort") && !internalLb)
      fact(Exposure::Internet, lineOf(type), what + " sets " + prefix + "service.type " + t + ": reachable from outside the cluster");
    else if (!t.empty())
      fact(Exposure::Internal, lineOf(type),
           what + " sets " + prefix + "service.type " + t + (internalLb ? " with an internal load balancer" : "") +
               ": reachable only inside the network");
    const YAML::Node ingress = child(node, "ingress");
    const YAML::Node enabled = child(ingress, "enabled");
    if (truthy(enabled)) {
      std::string hosts;
      if (const YAML::Node list = child(ingress, "hosts"); list && list.IsSequence())
        for (const auto& h : list) {
          const std::string host = h.IsScalar() ? h.Scalar() : scalar(child(h, "host"));
          if (!host.empty()) hosts += (hosts.empty() ? "" : ", ") + host;
        }
      fact(Exposure::Internet, lineOf(enabled),
           what + " enables " + prefix + "ingress" + (hosts.empty() ? std::string() : " for " + hosts) +
               ": external traffic reaches it");
    }
    chart.facts.insert(chart.facts.end(), facts.begin(), facts.end());
  }
  out.charts.push_back(std::move(chart));
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

// Where traffic flows between Terraform resource types, front to back: an internet entry point
// (tier 0) reaches listeners and proxies, then rules and integrations, target groups and backend
// services, what registers with them, and last what runs the code. A walk from an entry point
// only moves to a higher tier, so shared back-end pieces never lead to another front end; -1 is
// no part of a traffic path (networks, security groups, clusters, IAM), which the walk never
// crosses.
int trafficTier(std::string_view t) {
  auto in = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), t) != names.end();
  };
  if (in({"aws_lb", "aws_alb", "aws_elb", "aws_api_gateway_rest_api", "aws_apigatewayv2_api", "aws_cloudfront_distribution",
          "aws_lambda_function_url", "google_compute_global_forwarding_rule", "google_compute_forwarding_rule",
          "azurerm_public_ip"}))
    return 0;
  if (t.ends_with("_listener_rule") ||
      in({"aws_api_gateway_integration", "aws_apigatewayv2_integration", "google_compute_url_map",
          "google_compute_region_url_map", "azurerm_lb_rule", "azurerm_lb_backend_address_pool"}))
    return 2;
  if (t.ends_with("_listener") || t.starts_with("google_compute_target_") ||
      in({"aws_api_gateway_resource", "aws_api_gateway_method", "aws_api_gateway_stage", "aws_api_gateway_deployment",
          "aws_apigatewayv2_route", "aws_apigatewayv2_stage", "azurerm_lb", "azurerm_application_gateway"}))
    return 1;
  if (t.ends_with("_target_group_attachment") || t.ends_with("network_endpoint_group") ||
      t.starts_with("google_compute_instance_group") ||
      in({"aws_ecs_service", "azurerm_network_interface_backend_address_pool_association"}))
    return 4;
  if (t.ends_with("_target_group") ||
      in({"google_compute_backend_service", "google_compute_region_backend_service", "google_compute_backend_bucket"}))
    return 3;
  if (in({"aws_ecs_task_definition", "aws_lambda_function", "aws_instance", "google_compute_instance",
          "google_compute_instance_template", "google_cloud_run_service", "google_cloud_run_v2_service",
          "google_cloudfunctions_function", "google_cloudfunctions2_function", "azurerm_network_interface",
          "azurerm_container_app", "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_app_service",
          "azurerm_container_group"}))
    return 5;
  if (in({"azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_virtual_machine"})) return 6;
  return -1;
}

// Resources that hand traffic to whatever they name, whatever its tier (an API gateway
// integration naming a load balancer listener, CloudFront naming its origin).
bool forwardsToWhatItNames(std::string_view t) {
  return t == "aws_api_gateway_integration" || t == "aws_apigatewayv2_integration" || t == "aws_cloudfront_distribution";
}

// One top-level resource of a Terraform directory, kept for linking services to front ends.
struct TfResource {
  std::string type, name, file;
  std::uint32_t line = 0;  // of the `resource` keyword
  std::string text;        // the block
  bool entry = false;      // an internet entry point
  std::string entryWhy;
  std::string id() const { return type + "." + name; }
};

// Every `type.name` reference in a block that names a resource of the directory.
std::set<std::size_t> referencesIn(const std::string& text, const std::map<std::string, std::size_t>& ids) {
  std::set<std::size_t> out;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; };
  std::size_t i = 0;
  while (i < text.size()) {
    if (!word(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && word(text[j])) ++j;
    std::vector<std::string_view> parts;
    std::string_view run(text.data() + i, j - i);
    for (std::size_t start = 0; start <= run.size();) {
      auto dot = run.find('.', start);
      if (dot == std::string_view::npos) dot = run.size();
      parts.push_back(run.substr(start, dot - start));
      start = dot + 1;
    }
    for (std::size_t k = 0; k + 1 < parts.size(); ++k)
      if (auto it = ids.find(std::string(parts[k]) + "." + std::string(parts[k + 1])); it != ids.end()) out.insert(it->second);
    i = j;
  }
  return out;
}

// `key = "value"` (HCL) or `"key": "value"` (JSON in a heredoc) on one line; nullopt otherwise.
std::optional<std::pair<std::string, std::string>> keyValue(std::string_view line) {
  std::string t = trim(line);
  std::string_view v = t;
  std::string key;
  if (v.starts_with('"')) {
    const auto close = v.find('"', 1);
    if (close == std::string_view::npos) return std::nullopt;
    key = std::string(v.substr(1, close - 1));
    v.remove_prefix(close + 1);
  } else {
    std::size_t k = 0;
    while (k < v.size() && (std::isalnum(static_cast<unsigned char>(v[k])) || v[k] == '_')) ++k;
    if (k == 0) return std::nullopt;
    key = std::string(v.substr(0, k));
    v.remove_prefix(k);
  }
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (v.empty() || (v.front() != '=' && v.front() != ':')) return std::nullopt;
  v.remove_prefix(1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (!v.starts_with('"')) return std::nullopt;
  const auto close = v.find('"', 1);
  if (close == std::string_view::npos) return std::nullopt;
  return std::pair{key, std::string(v.substr(1, close - 1))};
}

// A name as a service might be called: "search-backend" also stands for "search".
std::vector<std::string> nameCandidates(const std::string& value) {
  std::vector<std::string> out{value};
  for (const char* suffix : {"-tg", "_tg", "-target-group", "-lb", "-alb", "-nlb", "-svc", "-service", "_service",
                             "-backend", "_backend", "-neg", "-task", "-td", "-app", "-listener", "-pool", "-ip"})
    if (value.size() > std::strlen(suffix) && value.ends_with(suffix))
      out.push_back(value.substr(0, value.size() - std::strlen(suffix)));
  return out;
}

// Facts that make the services behind a public entry point internet-facing: the container images
// the resources on the path run, and the names and tags they carry (matched against discovered
// services when the inventory is assembled; a name matching nothing is dropped there).
void linkTerraform(const std::vector<TfResource>& resources, Collected& out) {
  std::map<std::string, std::size_t> ids;
  for (std::size_t i = 0; i < resources.size(); ++i) ids.emplace(resources[i].id(), i);
  std::vector<std::set<std::size_t>> refs(resources.size()), referencedBy(resources.size());
  for (std::size_t i = 0; i < resources.size(); ++i) {
    if (trafficTier(resources[i].type) < 0 && !resources[i].entry) continue;
    refs[i] = referencesIn(resources[i].text, ids);
    refs[i].erase(i);
    for (std::size_t r : refs[i]) referencedBy[r].insert(i);
  }
  std::set<std::string> said;
  std::vector<Fact> byImage, byName;
  for (std::size_t e = 0; e < resources.size(); ++e) {
    if (!resources[e].entry) continue;
    const TfResource& entry = resources[e];
    std::map<std::size_t, std::size_t> parent{{e, e}};
    std::vector<std::size_t> queue{e};
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const std::size_t u = queue[q];
      const int tier = resources[u].entry && u == e ? 0 : trafficTier(resources[u].type);
      auto visit = [&](std::size_t v, bool forward) {
        const int vt = trafficTier(resources[v].type);
        if (vt < 0 || parent.count(v)) return;
        if (vt <= tier && !(forward && forwardsToWhatItNames(resources[u].type))) return;
        parent[v] = u;
        queue.push_back(v);
      };
      for (std::size_t v : refs[u]) visit(v, true);
      for (std::size_t v : referencedBy[u]) visit(v, false);
    }
    for (std::size_t n : queue) {
      const TfResource& r = resources[n];
      std::string path = r.id();
      for (std::size_t p = n; p != e;) {
        p = parent[p];
        path.insert(0, resources[p].id() + " -> ");
      }
      const std::string reached = n == e ? "an internet entry point (" + entry.entryWhy + ")"
                                         : "reached from the internet through " + path + " (" + entry.entryWhy + ")";
      auto fact = [&](std::string image, std::string unit, std::uint32_t line, std::string why) {
        // One fact per entry point and image or name: the resource nearest the entry says it.
        if (!said.insert(std::to_string(e) + "\x1f" + image + "\x1f" + unit).second) return;
        // An image is the stronger link: its facts go first, so they decide the exposure evidence.
        (image.empty() ? byName : byImage)
            .push_back({false, "", std::move(image), std::move(unit), Exposure::Internet, {r.file, line, std::move(why)}});
      };
      for (const std::string& candidate : nameCandidates(r.name))
        fact("", candidate, r.line, r.id() + " is " + reached);
      const auto lines = splitLines(r.text);
      for (std::size_t i = 0; i < lines.size() && i < 2000; ++i) {
        auto kv = keyValue(lines[i]);
        if (!kv || kv->second.empty()) continue;
        const auto& [key, value] = *kv;
        const auto ln = r.line + static_cast<std::uint32_t>(i);
        if (key == "image" || key == "image_uri") {
          fact(value, "", ln, "container image " + value + " of " + r.id() + " is " + reached);
        } else if (key == "name" || key == "family" || key == "Name" || key == "Service" || key == "service" ||
                   key == "app" || key == "App" || key == "application" || key == "container_name") {
          if (value.find("${") != std::string::npos) continue;
          for (const std::string& candidate : nameCandidates(value))
            fact("", candidate, ln, r.id() + " (" + key + " \"" + value + "\") is " + reached);
        }
      }
    }
  }
  out.facts.insert(out.facts.end(), byImage.begin(), byImage.end());
  out.facts.insert(out.facts.end(), byName.begin(), byName.end());
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
  std::vector<TfResource> resources;
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
      TfResource& res = resources.emplace_back();
      res.type = rtype;
      res.name = b.labels[1];
      res.file = file->rel;
      res.line = b.line;
      res.text = text->substr(b.start, b.end - b.start);
      // An internet entry point: the evidence for the infrastructure and the start of the walk
      // to the services behind it.
      auto entry = [&](Evidence e) {
        res.entry = true;
        res.entryWhy = e.why + ", " + e.where();
        exposeInternet(std::move(e));
      };
      auto nested = [&](std::string_view type) {
        for (const auto& [innerStart, inner] : blocks)
          if (innerStart > b.start && innerStart < b.end && inner.type == type) return &inner;
        return static_cast<const Block*>(nullptr);
      };
      if (rtype == "aws_lb" || rtype == "aws_alb" || rtype == "aws_elb") {
        const Attribute* internal = attrOf(b, "internal");
        if (internal && trim(internal->value) == "true") {
          lbInternal = true;
          internalAt = {file->rel, internal->line, "load balancer " + id + " is internal"};
          infra.evidence.push_back(internalAt);
        } else if (internal) {
          entry({file->rel, internal->line, "load balancer " + id + " is internet-facing (internal = " +
                                                trim(internal->value) + ")"});
        } else {
          entry({file->rel, b.line, "load balancer " + id + " is internet-facing (internal defaults to false)"});
        }
      } else if (rtype == "aws_api_gateway_rest_api" || rtype == "aws_apigatewayv2_api") {
        bool priv = false;
        for (const auto& a : attrs)
          if (a.key == "types" && a.start > b.start && a.start < b.end && a.value.find("PRIVATE") != std::string::npos)
            priv = true;
        if (!priv) entry({file->rel, b.line, "API gateway " + id + " has a public endpoint"});
      } else if (rtype == "aws_cloudfront_distribution") {
        entry({file->rel, b.line, "CloudFront distribution " + id + " serves the internet"});
      } else if (rtype == "aws_lambda_function_url") {
        entry({file->rel, b.line, "function URL " + id + " is a public HTTPS endpoint"});
      } else if (rtype == "google_compute_global_forwarding_rule" || rtype == "google_compute_forwarding_rule") {
        const Attribute* scheme = attrOf(b, "load_balancing_scheme");
        const std::string v = scheme ? unquote(trim(scheme->value)) : "";
        if (v.empty() || v.starts_with("EXTERNAL"))
          entry({file->rel, scheme ? scheme->line : b.line,
                 "forwarding rule " + id + " is external (load_balancing_scheme " + (v.empty() ? "defaults to EXTERNAL" : v) +
                     ")"});
      } else if (rtype == "google_compute_instance") {
        if (const Block* ac = nested("access_config"))
          entry({file->rel, ac->line, "instance " + id + " has an external IP (access_config)"});
      } else if (rtype == "azurerm_public_ip") {
        entry({file->rel, b.line, "public IP " + id + " is reachable from the internet"});
      } else if (rtype == "azurerm_container_app") {
        if (const Block* ingress = nested("ingress")) {
          const Attribute* external = attrOf(*ingress, "external_enabled");
          if (external && trim(external->value) == "true")
            entry({file->rel, external->line, "container app " + id + " accepts external traffic (external_enabled = true)"});
        }
      } else if (rtype == "azurerm_linux_web_app" || rtype == "azurerm_windows_web_app" || rtype == "azurerm_app_service") {
        const Attribute* access = attrOf(b, "public_network_access_enabled");
        if (!access || trim(access->value) != "false")
          entry({file->rel, access ? access->line : b.line,
                 "web app " + id + " accepts public traffic (public_network_access_enabled " +
                     (access ? "= " + trim(access->value) : std::string("defaults to true")) + ")"});
      } else if (rtype == "azurerm_container_group") {
        const Attribute* type = attrOf(b, "ip_address_type");
        if (type && unquote(trim(type->value)) == "Public")
          entry({file->rel, type->line, "container group " + id + " has a public IP address"});
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
  linkTerraform(resources, out);
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
