// Anchors: what identifies a region of code independently of where it sits. An anchor is the
// qualified name of the enclosing declaration ("Parser.parse_header") plus a hash of the
// region's tokens, comments and whitespace excluded, so it survives reformatting, re-indenting,
// added comments, and moves of the whole declaration within or across files.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/document.h"

namespace aspm::syntax {

// One lexical token (a leaf of the syntax tree that is not part of a comment and not empty).
struct Token {
  std::uint64_t hash = 0;     // hash of the token's text
  std::uint32_t line = 0;     // 0-based line where it starts
};

// Tokens of the whole document, or of the tokens starting in lines [firstLine, lastLine].
std::vector<Token> tokensOf(const Document& document);
std::vector<Token> tokensOf(const Document& document, std::uint32_t firstLine, std::uint32_t lastLine);

struct Declaration {
  std::string kind;   // the part after "definition." in the capture name: function, class, ...
  std::string name;
  std::uint32_t startByte = 0;
  std::uint32_t endByte = 0;
  std::uint32_t startLine = 0;  // 0-based, inclusive
  std::uint32_t endLine = 0;
};

// Declarations found by the language's declarations query, ordered by start (outer before
// inner). Restricting to a byte range keeps live re-anchoring cheap in large files.
std::vector<Declaration> declarationsOf(const Document& document);

// The qualified name ("Outer.inner") of the declarations that enclose lines [firstLine,
// lastLine], outermost first; "" at top level. `declarations` as returned by declarationsOf.
std::string scopeOf(std::span<const Declaration> declarations, std::uint32_t firstLine, std::uint32_t lastLine);
// Same, computing only the declarations around those lines.
std::string scopeOf(const Document& document, std::uint32_t firstLine, std::uint32_t lastLine);

struct Anchor {
  std::string scope;
  std::vector<std::uint64_t> tokens;  // token hashes of the region, in order
  std::uint64_t hash = 0;             // hash of `tokens`; 0 when the region has no tokens

  bool empty() const noexcept { return tokens.empty(); }
};

// Anchor of the 0-based lines [firstLine, lastLine].
Anchor anchorOf(const Document& document, std::uint32_t firstLine, std::uint32_t lastLine);
Anchor anchorOf(const Document& document, std::span<const Declaration> declarations, std::uint32_t firstLine,
                std::uint32_t lastLine);

// Hash of a token sequence, as stored in Anchor::hash.
std::uint64_t hashTokens(std::span<const std::uint64_t> tokens) noexcept;

struct AnchorHit {
  std::uint32_t firstLine = 0;  // 0-based
  std::uint32_t lastLine = 0;
  std::string scope;
};

// Every place in `document` where the anchor's tokens occur as whole lines (the first token
// starts its line and the last one ends its line). `tokens` = tokensOf(document), passed in so
// many anchors can be searched against one tokenisation. Capped at `maxHits`.
std::vector<AnchorHit> findAnchor(const Document& document, std::span<const Token> tokens,
                                  std::span<const Declaration> declarations, const Anchor& anchor,
                                  std::size_t maxHits = 64);

}  // namespace aspm::syntax
