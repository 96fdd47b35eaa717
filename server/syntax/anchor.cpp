// Token streams, declarations and anchor search over a Document's tree.
#include "syntax/anchor.h"

#include <algorithm>

#include "support/hash.h"
#include "syntax/document_impl.h"
#include "syntax/query.h"

namespace aspm::syntax {
namespace {

bool isComment(TSNode node) {
  const std::string_view type = ts_node_type(node);
  return type.find("comment") != std::string_view::npos;
}

// Depth-first over the leaves whose start lies in [startByte, endByte), skipping comments.
template <typename Visit>
void forEachLeaf(const Document::Impl& d, std::uint32_t startByte, std::uint32_t endByte, Visit&& visit) {
  if (!d.tree) return;
  TSTreeCursor cursor = ts_tree_cursor_new(d.root());
  // Descend straight to the first child that reaches startByte, skipping whole subtrees before.
  bool more = true;
  while (more) {
    const TSNode node = ts_tree_cursor_current_node(&cursor);
    const std::uint32_t s = ts_node_start_byte(node);
    const std::uint32_t e = ts_node_end_byte(node);
    bool descend = false;
    if (s >= endByte) break;
    if (e > startByte || (s == e && s >= startByte)) {
      if (isComment(node)) {
        descend = false;
      } else if (ts_node_child_count(node) == 0) {
        if (e > s && s >= startByte) visit(node, s, e);
      } else {
        descend = true;
      }
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        more = false;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&cursor);
}

std::vector<Token> collect(const Document::Impl& d, std::uint32_t startByte, std::uint32_t endByte) {
  std::vector<Token> out;
  const std::string_view text = d.text;
  forEachLeaf(d, startByte, endByte, [&](TSNode node, std::uint32_t s, std::uint32_t e) {
    const std::string_view t = text.substr(s, e - s);
    if (support::trim(t).empty()) return;
    out.push_back(Token{support::fnv1a64(support::trim(t)), ts_node_start_point(node).row});
  });
  return out;
}

std::uint32_t lineStartByte(const Document::Impl& d, std::uint32_t line) {
  return static_cast<std::uint32_t>(d.lines.lineStart(line));
}

std::vector<Declaration> declarationsIn(const Document& document, std::uint32_t startByte, std::uint32_t endByte) {
  std::vector<Declaration> out;
  const Query* query = queryFor(document.language(), QueryKind::Declarations);
  if (!query || !document.hasTree()) return out;
  QueryLimits limits;
  limits.startByte = startByte;
  limits.endByte = endByte;
  const auto run = runQuery(*query, document, limits);
  const std::string& text = document.text();
  for (const auto& m : run.matches) {
    const Capture* def = nullptr;
    const Capture* name = nullptr;
    for (const auto& c : m.captures) {
      if (c.name.starts_with("definition.")) def = &c;
      if (c.name == "name" && !name) name = &c;
    }
    if (!def) continue;
    Declaration decl;
    decl.kind = std::string(def->name.substr(std::string_view("definition.").size()));
    if (name) {
      decl.name = text.substr(name->startByte, name->endByte - name->startByte);
      // Multi-line names (rare: qualified C++ names split by comments) are not useful keys.
      std::replace(decl.name.begin(), decl.name.end(), '\n', ' ');
    }
    decl.startByte = def->startByte;
    decl.endByte = def->endByte;
    decl.startLine = def->startLine;
    decl.endLine = def->endLine;
    out.push_back(std::move(decl));
  }
  std::sort(out.begin(), out.end(), [](const Declaration& a, const Declaration& b) {
    return a.startByte != b.startByte ? a.startByte < b.startByte : a.endByte > b.endByte;
  });
  // One node may be captured by several patterns (a method is also a function): keep the first.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Declaration& a, const Declaration& b) {
                          return a.startByte == b.startByte && a.endByte == b.endByte;
                        }),
            out.end());
  return out;
}

}  // namespace

std::vector<Token> tokensOf(const Document& document) {
  return collect(document.impl(), 0, UINT32_MAX);
}

std::vector<Token> tokensOf(const Document& document, std::uint32_t firstLine, std::uint32_t lastLine) {
  const auto& d = document.impl();
  return collect(d, lineStartByte(d, firstLine), lineStartByte(d, lastLine + 1));
}

std::vector<Declaration> declarationsOf(const Document& document) {
  return declarationsIn(document, 0, UINT32_MAX);
}

std::string scopeOf(std::span<const Declaration> declarations, std::uint32_t firstLine, std::uint32_t lastLine) {
  std::string scope;
  for (const auto& d : declarations) {
    if (d.startLine > firstLine) break;
    if (d.endLine < lastLine || d.name.empty()) continue;
    // A declaration whose own line is the region (a one-line function) still encloses it.
    if (!scope.empty()) scope += '.';
    scope += d.name;
  }
  return scope;
}

std::string scopeOf(const Document& document, std::uint32_t firstLine, std::uint32_t lastLine) {
  const auto& d = document.impl();
  const auto start = lineStartByte(d, firstLine);
  const auto end = std::max(start + 1, lineStartByte(d, lastLine + 1));
  const auto decls = declarationsIn(document, start, end);
  return scopeOf(decls, firstLine, lastLine);
}

std::uint64_t hashTokens(std::span<const std::uint64_t> tokens) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::uint64_t t : tokens) {
    for (int i = 0; i < 8; ++i) {
      h ^= (t >> (8 * i)) & 0xffU;
      h *= 0x100000001b3ULL;
    }
  }
  return tokens.empty() ? 0 : h;
}

Anchor anchorOf(const Document& document, std::span<const Declaration> declarations, std::uint32_t firstLine,
                std::uint32_t lastLine) {
  Anchor a;
  a.scope = scopeOf(declarations, firstLine, lastLine);
  for (const auto& t : tokensOf(document, firstLine, lastLine)) a.tokens.push_back(t.hash);
  a.hash = hashTokens(a.tokens);
  return a;
}

Anchor anchorOf(const Document& document, std::uint32_t firstLine, std::uint32_t lastLine) {
  Anchor a;
  a.scope = scopeOf(document, firstLine, lastLine);
  for (const auto& t : tokensOf(document, firstLine, lastLine)) a.tokens.push_back(t.hash);
  a.hash = hashTokens(a.tokens);
  return a;
}

std::vector<AnchorHit> findAnchor(const Document& document, std::span<const Token> tokens,
                                  std::span<const Declaration> declarations, const Anchor& anchor,
                                  std::size_t maxHits) {
  (void)document;
  std::vector<AnchorHit> hits;
  const std::size_t n = anchor.tokens.size();
  if (n == 0 || tokens.size() < n) return hits;
  for (std::size_t i = 0; i + n <= tokens.size() && hits.size() < maxHits; ++i) {
    if (tokens[i].hash != anchor.tokens[0]) continue;
    if (i > 0 && tokens[i - 1].line == tokens[i].line) continue;
    if (i + n < tokens.size() && tokens[i + n].line == tokens[i + n - 1].line) continue;
    bool same = true;
    for (std::size_t k = 1; k < n && same; ++k) same = tokens[i + k].hash == anchor.tokens[k];
    if (!same) continue;
    AnchorHit hit;
    hit.firstLine = tokens[i].line;
    hit.lastLine = tokens[i + n - 1].line;
    hit.scope = scopeOf(declarations, hit.firstLine, hit.lastLine);
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace aspm::syntax
