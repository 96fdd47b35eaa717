// The `when:` condition reader of the policy format, shared by the readers of the files that use
// the same condition language (the gate policy and the store's ticketing rules), so a condition
// means the same thing, with the same error messages, wherever it is written. Internal to policy/:
// it speaks yaml-cpp.
#pragma once

#include "policy/policy.h"
#include "policy/yaml_util.h"

namespace aspm::policy::detail {

// Reads a `when:` mapping; every problem is reported through `reader` with its line.
Condition readCondition(const YAML::Node& node, yaml::Reader& reader);

}  // namespace aspm::policy::detail
