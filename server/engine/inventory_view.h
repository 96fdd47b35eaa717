// The discovered estate as a tree view shows it: every asset of a snapshot's inventory with the
// open findings attached to it, counted by severity. Findings attach the way risk scoring
// attaches them (the service, library or infrastructure asset with the longest path scope
// holding the file, or the service running the image a container finding names), so a count and
// the exposure in a finding's risk explanation name the same asset.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/snapshot.h"
#include "inventory/inventory.h"
#include "model/finding.h"

namespace aspm::engine {

struct AssetView {
  const inventory::Asset* asset = nullptr;  // points into the snapshot's inventory
  // Open findings (not gone, suppressed or triaged away) by model::Severity, whatever the
  // minimum severity of the settings: the client decides what to show.
  std::array<std::uint32_t, 5> openBySeverity{};
  std::uint32_t open(model::Severity s) const { return openBySeverity[static_cast<std::size_t>(s)]; }
};

// One entry per asset, in the inventory's order; empty when nothing was discovered yet.
std::vector<AssetView> inventoryView(const Snapshot& snapshot);

}  // namespace aspm::engine
