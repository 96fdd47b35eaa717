// The estate as the working tree describes it: services and libraries (from manifests), how they
// ship and run (Dockerfiles, docker-compose, Kubernetes, Terraform), the HTTP APIs they declare,
// the pipelines that scan them and hints of the data they handle. Risk scoring needs to know
// what is exposed and what matters; discovering it here means `.aspm/config.yaml` only has to
// correct it. Every conclusion carries the file and line it was drawn from, and nothing here
// touches the network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/problem.h"

namespace aspm::inventory {

enum class AssetKind : std::uint8_t { Service, Library, Pipeline, Infrastructure, Api };
// Ordered by strength: a stronger exposure found anywhere wins over a weaker one.
enum class Exposure : std::uint8_t { Unknown, None, Internal, Internet };

std::string_view idOf(AssetKind) noexcept;
std::string_view idOf(Exposure) noexcept;

// Why something was concluded: a repo-relative file, its 1-based line (0: the whole file).
struct Evidence {
  std::string file;
  std::uint32_t line = 0;
  std::string why;
  std::string where() const;  // "file:line" (or "file" for line 0)
};

struct Asset {
  std::string name;
  AssetKind kind = AssetKind::Library;
  std::string path;  // repo-relative directory ("" is the repository root) or file (pipelines, APIs)
  std::vector<std::string> languages;  // syntax language ids, sorted
  std::vector<std::string> manifests;  // repo-relative, sorted
  Exposure exposure = Exposure::Unknown;
  std::optional<Evidence> exposureEvidence;  // what decided `exposure`
  std::string criticality;                   // low | medium | high | critical; "" unknown
  std::optional<Evidence> criticalityEvidence;
  std::vector<std::string> scans;  // sast | sca | iac | secrets, sorted
  std::vector<std::string> images;  // container images that run this asset
  std::vector<Evidence> evidence;   // everything, in discovery order
};

struct Inventory {
  std::vector<Asset> assets;  // sorted by kind, then path, then name
};

struct DiscoverOptions {
  std::uint64_t maxFileBytes = 1u << 20;  // larger files are listed but not read
  std::size_t maxFiles = 50000;           // the walk stops there (a problem says so)
};

// Walk `repoRoot` (skipping .git, node_modules, vendor and build output) and describe the estate.
// Files that cannot be read or parsed give problems naming the file and line; everything else is
// still discovered.
support::WithProblems<Inventory> discover(const std::string& repoRoot, const DiscoverOptions& options = {});

// The asset a repo-relative file belongs to: the service, library or infrastructure asset with
// the longest path scope containing it, or null. A container finding's image
// ("ghcr.io/acme/orders (debian 12.5)") belongs to the service that runs it.
const Asset* assetFor(const Inventory& inventory, std::string_view path);

}  // namespace aspm::inventory
