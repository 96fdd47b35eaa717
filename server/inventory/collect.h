// Shared state of one discovery run: the files of the working tree and the facts the collectors
// (manifests, code, deployment descriptors, pipelines) record before inventory.cpp assembles
// them into assets. Facts name their target by directory or by container image, because a
// Kubernetes manifest knows only the image while a compose file knows the build directory.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "inventory/inventory.h"
#include "support/problem.h"

namespace aspm::inventory::detail {

struct RepoFile {
  std::string rel;  // repo-relative, '/'-separated
  std::uint64_t size = 0;
};

// A claim about a deployable unit found in a deployment descriptor.
struct Fact {
  bool hasDir = false;  // the descriptor names the target directory (Dockerfile, compose build)
  std::string dir;      // then: that directory ("" is the repository root)
  std::string image;  // otherwise the image it runs ("registry/team/name:tag")
  std::string unitName;  // the compose service or workload name, a last resort for matching
  Exposure exposure = Exposure::Unknown;  // Unknown: evidence only, no exposure claim
  Evidence evidence;
};

// One scanner invocation found in a pipeline.
struct ScanUse {
  std::string kind;   // sast | sca | iac | secrets
  std::string tool;
  std::string scope;  // repo-relative directory it is limited to; "" the whole repository
  Evidence evidence;
};

struct Repo {
  std::string root;      // absolute
  std::string rootName;  // directory name of the root, the name of a root-level package
  std::vector<RepoFile> files;
  std::set<std::string> dirs;  // every walked directory, repo-relative ("" excluded)
  std::uint64_t maxFileBytes = 0;
  support::Problems* problems = nullptr;

  // The file's text, or nullopt (with a problem) when it cannot be read or is too large.
  std::optional<std::string> read(const RepoFile& file) const;
  void problem(const std::string& file, std::uint32_t line, std::string message) const;
};

// Kubernetes objects, linked once every manifest was read (Ingress -> Service -> workload), each
// only within its namespace ("" is the default namespace).
struct KubeWorkload {
  std::string kind, name;
  std::map<std::string, std::string> labels;
  std::vector<std::pair<std::string, std::uint32_t>> images;  // image, line
  Evidence at;
  std::string ns;
  std::uint32_t nsLine = 0;  // of `metadata.namespace`
};
struct KubeService {
  std::string name, type;
  std::map<std::string, std::string> selector;
  bool internalLb = false;  // a cloud annotation asks for an internal load balancer
  Evidence at;              // the `type` line (or `kind` when the type is defaulted)
  std::string ns;
};
struct KubeRoute {  // an Ingress or Gateway API route naming a Service backend
  std::string backend;
  Evidence at;
  std::string ns;
};

// A Helm chart whose values.yaml was read. Its facts name the image it runs; when that image
// (or the chart's name) matches no service, the chart directory is the service itself.
struct HelmChart {
  std::string dir, name;
  std::vector<std::string> manifests;  // Chart.yaml, values.yaml
  std::vector<Fact> facts;             // naming the image, else the chart or subchart as unitName
};

struct Collected {
  std::vector<KubeWorkload> workloads;
  std::vector<KubeService> kubeServices;
  std::vector<KubeRoute> kubeRoutes;
  std::vector<Fact> facts;
  std::map<std::string, std::string> imageDirs;  // image name (no tag) -> build directory
  std::set<std::string> dockerDirs;              // directories holding a Dockerfile
  std::vector<Asset> assets;                     // pipelines, infrastructure, OpenAPI documents
  std::vector<ScanUse> scans;
  std::vector<HelmChart> charts;
};

// Deployment descriptors (deploy.cpp).
void collectDockerfile(const Repo& repo, const RepoFile& file, const std::string& text, Collected& out);
void collectCompose(const Repo& repo, const RepoFile& file, const std::string& text, Collected& out);
// Returns false when the YAML holds no Kubernetes object (the file is something else).
bool collectKubernetes(const Repo& repo, const RepoFile& file, const std::string& text, Collected& out);
// Turn the Kubernetes objects into facts about the images they run.
void linkKubernetes(Collected& out);
// A Helm chart's values.yaml (`chartYaml` is the Chart.yaml beside it, already read).
void collectHelmValues(const Repo& repo, const RepoFile& file, const std::string& text, const std::string& chartYaml,
                       Collected& out);
void collectTerraform(const Repo& repo, const std::vector<const RepoFile*>& files, Collected& out);
void collectPipeline(const Repo& repo, const RepoFile& file, const std::string& text, Collected& out);
bool isPipelineFile(std::string_view rel);
bool isComposeFile(std::string_view rel);
bool isDockerfile(std::string_view rel);

// Small path helpers.
std::string dirOf(std::string_view rel);
std::string baseName(std::string_view rel);
std::string lower(std::string_view s);
std::string joinPath(std::string_view dir, std::string_view rel);  // normalised
// "ghcr.io/acme/orders-api:1.4@sha256:..." -> "orders-api"
std::string imageShortName(std::string_view image);
std::vector<std::string_view> splitLines(std::string_view text);

}  // namespace aspm::inventory::detail
