// Dependency upgrades as manifest edits. An SCA finding is fixed by changing the version the
// project declares, in the file the developer owns (not the lock file, which the package manager
// regenerates), written in that file's own notation: the same operator, quoting and layout, so
// the edit reads like one a person would make. Packages the manifest does not declare are
// transitive: no edit is invented for them, and the reason says so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "remediation/text_edit.h"

namespace aspm::remediation {

struct ManifestEdit {
  std::vector<TextEdit> edits;  // one per declaration changed, in file order
  std::string title;            // "Upgrade lodash from ^4.17.4 to ^4.17.21 in package.json"
  std::string note;             // what else to do ("regenerate the hashes", "run go mod tidy"), or ""
};

// True for the manifests upgradeDependency understands, by file name: package.json,
// requirements*.txt, pyproject.toml, go.mod, pom.xml, build.gradle(.kts), the Gradle version
// catalog (libs.versions.toml), Gemfile,
// composer.json, *.csproj/*.fsproj/*.vbproj and Directory.Packages.props.
bool isManifest(std::string_view path);

// Edits that make every direct declaration of `package` in the manifest at `manifestPath`
// (text `text`) require `fixedVersion`. Package names follow the ecosystem: npm/composer names,
// PyPI names (PEP 503 normalised), Go module paths, "groupId:artifactId" for Maven and Gradle,
// gem names, NuGet ids (case-insensitive). `fixedVersion` may carry a leading ">=" or "v".
// Fails with the reason when the package is not declared directly (transitive), when every
// declaration already requires the fixed version or later, or when the version is not written
// in the manifest (a parent POM, a BOM, central package management, a git or path source).
Outcome<ManifestEdit> upgradeDependency(std::string_view manifestPath, std::string_view text, std::string_view package,
                                        std::string_view fixedVersion);

// Orders dotted versions numerically ("4.17.12" > "4.17.5"), a leading "v" ignored and a
// pre-release ("1.0.0-rc1", "2.0b1") before its release: <0, 0 or >0. Unreadable versions
// compare equal.
int compareVersions(std::string_view a, std::string_view b);

// The fixed version nearest above `installed` among a scanner's list ("3.0.1, 2.2.9, 1.11.27",
// ">= 1.10.5"): the lowest listed version greater than `installed`, so an upgrade stays on the
// release line in use; "" when none is (the list is empty or every fix is older).
// When `installed` is unknown (""), the lowest listed version.
std::string nearestFixedVersion(std::string_view installed, std::string_view fixedVersions);

}  // namespace aspm::remediation
