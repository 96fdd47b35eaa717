// CISA KEV catalog reader.
#include "ingest/kev.h"

#include <boost/json.hpp>
#include <cctype>

#include "support/file.h"

namespace aspm::ingest {
namespace json = boost::json;

support::WithProblems<KevCatalog> parseKev(std::string_view text, const std::string& displayPath) {
  support::WithProblems<KevCatalog> out;
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) {
    out.problems.push_back({displayPath, "", "not JSON: " + ec.message(), support::ProblemSeverity::Fatal});
    return out;
  }
  const json::object* root = doc.if_object();
  const json::value* vulns = root ? root->if_contains("vulnerabilities") : nullptr;
  if (!vulns || !vulns->is_array()) {
    out.problems.push_back({displayPath, "/vulnerabilities", "not a KEV catalog: no vulnerabilities array",
                            support::ProblemSeverity::Fatal});
    return out;
  }
  if (const auto* v = root->if_contains("catalogVersion"); v && v->is_string()) out.value.version = std::string(v->get_string());
  if (const auto* v = root->if_contains("dateReleased"); v && v->is_string()) out.value.released = std::string(v->get_string());
  const auto& arr = vulns->get_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string path = "/vulnerabilities/" + std::to_string(i);
    const json::object* o = arr[i].if_object();
    const json::value* id = o ? o->if_contains("cveID") : nullptr;
    if (!id || !id->is_string()) {
      out.problems.push_back({displayPath, path + "/cveID", "entry without a cveID string: skipped", support::ProblemSeverity::Error});
      continue;
    }
    std::string cve(id->get_string());
    for (auto& c : cve) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    KevRecord e;
    if (const auto* d = o->if_contains("dateAdded"); d && d->is_string()) e.dateAdded = std::string(d->get_string());
    if (const auto* r = o->if_contains("knownRansomwareCampaignUse"); r && r->is_string()) e.ransomware = r->get_string() == "Known";
    out.value.entries[cve] = std::move(e);
  }
  return out;
}

support::WithProblems<KevCatalog> readKev(const std::string& path) {
  std::string error;
  auto text = support::readFile(path, &error);
  if (!text) {
    support::WithProblems<KevCatalog> out;
    out.problems.push_back({path, "", "cannot read KEV catalog: " + error, support::ProblemSeverity::Fatal});
    return out;
  }
  return parseKev(*text, path);
}

}  // namespace aspm::ingest
