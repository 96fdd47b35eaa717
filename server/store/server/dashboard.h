// The KPI dashboard served at `/`: one self-contained HTML page (inline script, style and SVG; no
// external assets), compiled into the binary so the store needs no files beside it.
#pragma once

#include <string_view>

namespace aspm::store::server {

std::string_view dashboardHtml();

}  // namespace aspm::store::server
