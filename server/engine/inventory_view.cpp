// Counts each asset's open findings: one pass over the snapshot's findings, attaching each by
// the file (or image) it names.
#include "engine/inventory_view.h"

#include <map>

#include "engine/actions.h"

namespace aspm::engine {

std::vector<AssetView> inventoryView(const Snapshot& snapshot) {
  std::vector<AssetView> out;
  if (!snapshot.inventory) return out;
  const inventory::Inventory& inv = *snapshot.inventory;
  out.reserve(inv.assets.size());
  std::map<const inventory::Asset*, std::size_t> index;
  for (const auto& a : inv.assets) {
    index.emplace(&a, out.size());
    out.push_back({&a, {}});
  }
  std::map<std::string, const inventory::Asset*, std::less<>> byPath;  // one lookup per file
  for (const auto& report : snapshot.reports) {
    for (const auto& f : report->findings) {
      if (f.state == model::FindingState::Gone || f.state == model::FindingState::Suppressed ||
          f.state == model::FindingState::Triaged)
        continue;
      if (const model::TriageDecision* t = snapshot.triageOf(f); t && triageHides(*t, snapshot.triageAsOf)) continue;
      // As risk scoring does: where the finding is now, else where the scanner put it.
      std::string path;
      if (f.location) path = f.location->uri;
      else if (const auto& r = report->primary(f); !r.locations.empty()) path = r.locations.front().uri;
      if (path.empty()) continue;
      auto it = byPath.find(path);
      if (it == byPath.end()) it = byPath.emplace(path, inventory::assetFor(inv, path)).first;
      if (!it->second) continue;
      ++out[index.at(it->second)].openBySeverity[static_cast<std::size_t>(f.severity)];
    }
  }
  return out;
}

}  // namespace aspm::engine
