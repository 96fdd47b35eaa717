// GitHub code scanning's `partialFingerprints.primaryLocationLineHash`, computed the way
// github/codeql-action computes it, so results we emit (or re-emit) keep the alert identity
// GitHub already has and dismissed alerts stay dismissed after an upload through aspm.
//
// Definition (docs/fingerprints.md): the file is decoded as UTF-8 into UTF-16 code units;
// spaces and tabs are skipped; CR, LF and CRLF all become one LF; a 65535 sentinel follows the
// last unit, then zeros. The hash of a line is the base-37 polynomial, modulo 2^64, of the 100
// units starting at the first kept unit of that line; it is written as unpadded lower-case hex,
// followed by ":n" where n counts earlier lines of the same file with the same hex value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aspm::correlate {

// One hash per line (index 0 is line 1). A file whose last line ends with a newline has one
// more (empty) line than it has newlines, as in the reference implementation.
std::vector<std::string> lineHashes(std::string_view utf8Content);

// The hashes of the given 1-based lines only, in one pass over the file (what correlation uses:
// one pass per file however many findings point into it). Line 0 is answered as line 1; lines
// past the end are absent.
std::unordered_map<std::uint32_t, std::string> lineHashesOf(std::string_view utf8Content,
                                                             const std::vector<std::uint32_t>& lines);

// The hash of 1-based `line`, or "" when the file has no such line. A missing line (0) means
// "the whole file" and uses line 1, as the reference implementation does.
std::string primaryLocationLineHash(std::string_view utf8Content, std::uint32_t line);

}  // namespace aspm::correlate
