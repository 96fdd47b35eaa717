// File URIs and paths. SARIF and LSP both speak URIs; the engine keys files by normalised
// repo-relative paths. Conversions live here so every layer agrees on them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aspm::support {

// Percent-decode (invalid escapes are kept literally).
std::string percentDecode(std::string_view s);

// Percent-encode a path for a file URI (unreserved characters and '/' kept).
std::string percentEncodePath(std::string_view path);

// "file:///a/b%20c" -> "/a/b c"; "file:///C:/x" -> "C:/x". nullopt when not a file URI.
std::optional<std::string> fileUriToPath(std::string_view uri);

// "/a/b c" -> "file:///a/b%20c".
std::string pathToFileUri(std::string_view absolutePath);

// True when `uri` has a scheme ("file:", "https:", ...), as opposed to a relative reference.
bool hasScheme(std::string_view uri) noexcept;

// Lexically normalise a '/'-separated path: backslashes become '/', "." and "x/.." segments
// are removed, repeated separators collapse. A leading "../" that cannot be resolved is kept.
std::string normalizePath(std::string_view path);

// True when the normalised relative path stays inside its root (no leading "..", not absolute).
bool isInsideRoot(std::string_view normalizedRelative) noexcept;

// Path of `path` relative to directory `root` (both absolute, normalised); nullopt if outside.
std::optional<std::string> relativeTo(std::string_view path, std::string_view root);

// Glob match on '/'-separated paths: '*' (no '/'), '?', '**' (any number of segments),
// '{a,b}' alternatives and '[abc]' classes, as in LSP's file watcher globs.
bool globMatch(std::string_view pattern, std::string_view path);

}  // namespace aspm::support
