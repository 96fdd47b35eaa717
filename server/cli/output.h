// Renderers for `aspm findings` and `aspm gate`: a ranked table for people (colour and widths
// for the terminal it runs in), JSON per the published contract (docs/cli.md), SARIF 2.1.0 for
// code-scanning uploads, and a markdown summary for pull-request comments.
#pragma once

#include <iosfwd>

#include "engine/analysis.h"
#include "engine/gate.h"

namespace aspm::cli {

// How the table is drawn: colour only on a terminal, width of that terminal (0: 160 columns).
struct TableStyle {
  bool color = false;
  int width = 0;
};

void writeTable(const engine::Analysis& analysis, std::ostream& out, const TableStyle& style = {});
void writeJson(const engine::Analysis& analysis, std::ostream& out);
void writeSarif(const engine::Analysis& analysis, std::ostream& out);
void writeProblems(const support::Problems& problems, std::ostream& err);

// `aspm inventory`: one row per asset, or the JSON of the contract (docs/inventory.md).
void writeInventoryTable(const inventory::Inventory& inventory, std::ostream& out, const TableStyle& style = {});
void writeInventoryJson(const inventory::Inventory& inventory, std::ostream& out);

void writeGateTable(const engine::Analysis& analysis, const policy::Policy& policy, const policy::GateResult& gate,
                    std::ostream& out, const TableStyle& style = {});
void writeGateJson(const engine::Analysis& analysis, const policy::Policy& policy, const policy::GateResult& gate,
                   std::ostream& out);
void writeGateSarif(const engine::Analysis& analysis, const policy::Policy& policy, const policy::GateResult& gate,
                    std::ostream& out);
void writeGateMarkdown(const engine::Analysis& analysis, const policy::Policy& policy, const policy::GateResult& gate,
                       std::ostream& out);

// The body of POST /v1/projects/{p}/scans (docs/openapi.yaml): every correlated finding with its
// fingerprint, kind, severity, risk and whether it is exploitable (KEV, or exploitation likely
// and the package reachable). `kinds` empty: the kinds of the findings present.
std::string scanUploadJson(const engine::Analysis& analysis, const std::string& repository, const std::string& revision,
                           const std::vector<std::string>& kinds);
// One line about an upload from the store's reply ("scan 3: 12 findings, 2 new, 1 fixed").
std::string scanUploadSummary(const std::string& reply);

// `aspm kpi`: the store's KPI JSON as a table, or re-printed as JSON. False when the reply is
// not KPI JSON (the message is in `error`).
bool writeKpiTable(const std::string& reply, std::ostream& out, std::string& error);
bool writeKpiJson(const std::string& reply, std::ostream& out, std::string& error);

}  // namespace aspm::cli
