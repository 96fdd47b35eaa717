// Query compilation, the per-process cache of embedded queries, and bounded execution.
#include "syntax/query.h"

#include <array>
#include <cctype>
#include <mutex>
#include <optional>
#include <regex>

#include "syntax/document_impl.h"
#include "syntax/embedded_queries.h"
#include "syntax/ts_handles.h"

namespace aspm::syntax {

// Text predicates the C runtime leaves to its host: #eq?, #not-eq?, #any-of?, #match?,
// #not-match?. Resolved once at compile time so matching only compares strings.
struct Predicate {
  enum class Op : std::uint8_t { Eq, NotEq, AnyOf, Match, NotMatch } op;
  std::uint32_t capture = 0;
  std::optional<std::uint32_t> otherCapture;  // #eq? @a @b
  std::vector<std::string> values;
  std::optional<std::regex> regex;
};

struct Query::Impl {
  Language language;
  std::string file;
  detail::QueryPtr query;
  std::vector<std::string> captureNames;
  std::vector<std::vector<Predicate>> predicates;  // per pattern
};

struct QueryFactory {
  static std::unique_ptr<Query> make(std::unique_ptr<Query::Impl> impl) {
    return std::unique_ptr<Query>(new Query(std::move(impl)));
  }
};

namespace {

constexpr std::array kKinds = {QueryKind::Declarations, QueryKind::Imports, QueryKind::Calls,
                               QueryKind::Comments,     QueryKind::Bindings, QueryKind::Routes};
constexpr std::size_t kLanguageCount = 16;

const char* describeError(TSQueryError e) {
  switch (e) {
    case TSQueryErrorNone: return "no error";
    case TSQueryErrorSyntax: return "syntax error";
    case TSQueryErrorNodeType: return "invalid node type";
    case TSQueryErrorField: return "invalid field name";
    case TSQueryErrorCapture: return "invalid capture name";
    case TSQueryErrorStructure: return "impossible pattern structure";
    case TSQueryErrorLanguage: return "grammar ABI not supported by the runtime";
  }
  return "unknown error";
}

// The word at the error offset, so the message says which name was wrong.
std::string wordAt(std::string_view source, std::size_t offset) {
  std::size_t end = offset;
  while (end < source.size()) {
    const char c = source[end];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) break;
    ++end;
  }
  return std::string(source.substr(offset, end - offset));
}

struct Slot {
  std::once_flag once;
  std::unique_ptr<Query> query;
  std::optional<QueryError> error;
};

Slot& slotFor(Language language, QueryKind kind) {
  static std::array<std::array<Slot, kKinds.size()>, kLanguageCount> slots;
  return slots[static_cast<std::size_t>(language)][static_cast<std::size_t>(kind)];
}

std::string pathFor(Language language, QueryKind kind) {
  return "grammars/queries/" + std::string(idOf(language)) + "/" + std::string(idOf(kind)) + ".scm";
}

std::optional<std::string_view> embeddedSource(std::string_view path) {
  for (const auto& q : detail::embeddedQueries())
    if (q.path == path) return q.source;
  return std::nullopt;
}

}  // namespace

std::string_view idOf(QueryKind kind) noexcept {
  switch (kind) {
    case QueryKind::Declarations: return "declarations";
    case QueryKind::Imports: return "imports";
    case QueryKind::Calls: return "calls";
    case QueryKind::Comments: return "comments";
    case QueryKind::Bindings: return "bindings";
    case QueryKind::Routes: return "routes";
  }
  return "";
}

std::string QueryError::describe() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

Query::Query(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Query::~Query() = default;
Query::Query(Query&&) noexcept = default;
Query& Query::operator=(Query&&) noexcept = default;
Language Query::language() const noexcept { return impl_->language; }
const std::string& Query::file() const noexcept { return impl_->file; }
std::uint32_t Query::captureCount() const noexcept { return static_cast<std::uint32_t>(impl_->captureNames.size()); }
std::string_view Query::captureName(std::uint32_t id) const noexcept {
  return id < impl_->captureNames.size() ? std::string_view(impl_->captureNames[id]) : std::string_view();
}

CompiledQuery compileQuery(Language language, std::string_view source, std::string_view file) {
  CompiledQuery out;
  std::uint32_t errorOffset = 0;
  TSQueryError errorType = TSQueryErrorNone;
  detail::QueryPtr query(ts_query_new(detail::grammarOf(language), source.data(),
                                      static_cast<std::uint32_t>(source.size()), &errorOffset, &errorType));
  if (!query) {
    // tree-sitter reports a byte offset; editors and humans want line:column.
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    for (std::uint32_t i = 0; i < errorOffset && i < source.size(); ++i) {
      if (source[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    out.error.file = std::string(file);
    out.error.line = line;
    out.error.column = column;
    out.error.message = describeError(errorType);
    const std::string word = wordAt(source, errorOffset);
    if (!word.empty() && errorType != TSQueryErrorSyntax) out.error.message += " '" + word + "'";
    return out;
  }
  auto impl = std::make_unique<Query::Impl>();
  impl->language = language;
  impl->file = std::string(file);
  const std::uint32_t n = ts_query_capture_count(query.get());
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t len = 0;
    const char* name = ts_query_capture_name_for_id(query.get(), i, &len);
    impl->captureNames.emplace_back(name, len);
  }
  const std::uint32_t patterns = ts_query_pattern_count(query.get());
  impl->predicates.resize(patterns);
  for (std::uint32_t p = 0; p < patterns; ++p) {
    std::uint32_t stepCount = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query.get(), p, &stepCount);
    std::uint32_t i = 0;
    while (i < stepCount) {
      std::uint32_t end = i;
      while (end < stepCount && steps[end].type != TSQueryPredicateStepTypeDone) ++end;
      auto text = [&](const TSQueryPredicateStep& st) {
        std::uint32_t len = 0;
        const char* v = ts_query_string_value_for_id(query.get(), st.value_id, &len);
        return std::string(v, len);
      };
      const auto unsupported = [&](std::string why) {
        out.error = {std::string(file), 1, 1, why + " in pattern " + std::to_string(p)};
      };
      if (end - i < 3 || steps[i].type != TSQueryPredicateStepTypeString ||
          steps[i + 1].type != TSQueryPredicateStepTypeCapture) {
        unsupported("unsupported predicate form");
        return out;
      }
      Predicate pred{};
      const std::string name = text(steps[i]);
      pred.capture = steps[i + 1].value_id;
      if (name == "eq?") pred.op = Predicate::Op::Eq;
      else if (name == "not-eq?") pred.op = Predicate::Op::NotEq;
      else if (name == "any-of?") pred.op = Predicate::Op::AnyOf;
      else if (name == "match?") pred.op = Predicate::Op::Match;
      else if (name == "not-match?") pred.op = Predicate::Op::NotMatch;
      else {
        unsupported("unsupported predicate #" + name);
        return out;
      }
      for (std::uint32_t k = i + 2; k < end; ++k) {
        if (steps[k].type == TSQueryPredicateStepTypeCapture)
          pred.otherCapture = steps[k].value_id;
        else
          pred.values.push_back(text(steps[k]));
      }
      if (pred.op == Predicate::Op::Match || pred.op == Predicate::Op::NotMatch) {
        if (pred.values.size() != 1) {
          unsupported("#" + name + " takes one pattern");
          return out;
        }
        try {
          pred.regex.emplace(pred.values[0], std::regex::ECMAScript | std::regex::optimize);
        } catch (const std::regex_error&) {
          unsupported("invalid regular expression '" + pred.values[0] + "'");
          return out;
        }
      }
      impl->predicates[p].push_back(std::move(pred));
      i = end + 1;
    }
  }
  impl->query = std::move(query);
  out.query = QueryFactory::make(std::move(impl));
  return out;
}

const Query* queryFor(Language language, QueryKind kind) {
  Slot& slot = slotFor(language, kind);
  std::call_once(slot.once, [&] {
    const std::string path = pathFor(language, kind);
    const auto source = embeddedSource(path);
    if (!source) return;
    auto compiled = compileQuery(language, *source, path);
    if (compiled.query)
      slot.query = std::move(compiled.query);
    else
      slot.error = std::move(compiled.error);
  });
  return slot.query.get();
}

std::vector<QueryError> queryErrors() {
  std::vector<QueryError> out;
  for (const auto& q : detail::embeddedQueries()) {
    // grammars/queries/<lang>/<kind>.scm
    const std::string_view rest = q.path.substr(std::string_view("grammars/queries/").size());
    const auto slash = rest.find('/');
    const auto language = languageFromId(rest.substr(0, slash));
    std::optional<QueryKind> kind;
    for (const auto k : kKinds)
      if (slash != std::string_view::npos && rest.substr(slash + 1) == std::string(idOf(k)) + ".scm") kind = k;
    if (!language || !kind) {
      out.push_back({std::string(q.path), 1, 1, "not <language>/<declarations|imports|calls|comments|bindings|routes>.scm"});
      continue;
    }
    if (!queryFor(*language, *kind) && slotFor(*language, *kind).error) out.push_back(*slotFor(*language, *kind).error);
  }
  return out;
}

QueryRun runQuery(const Query& query, const Document& document, const QueryLimits& limits) {
  QueryRun out;
  const auto& doc = document.impl();
  if (!doc.tree || query.language() != doc.language) return out;
  detail::QueryCursorPtr cursor(ts_query_cursor_new());
  ts_query_cursor_set_match_limit(cursor.get(), limits.inProgressMatches);
  ts_query_cursor_set_byte_range(cursor.get(), limits.startByte, limits.endByte);
  ts_query_cursor_exec(cursor.get(), query.impl().query.get(), doc.root());
  const std::string& text = doc.text;
  const auto captured = [&](const TSQueryMatch& match, std::uint32_t captureId) -> std::optional<std::string_view> {
    for (std::uint16_t i = 0; i < match.capture_count; ++i)
      if (match.captures[i].index == captureId) {
        const TSNode n = match.captures[i].node;
        return std::string_view(text).substr(ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
      }
    return std::nullopt;
  };
  const auto satisfied = [&](const TSQueryMatch& match) {
    for (const auto& pred : query.impl().predicates[match.pattern_index]) {
      const auto value = captured(match, pred.capture);
      if (!value) continue;  // quantified capture absent: nothing to test
      bool ok = true;
      switch (pred.op) {
        case Predicate::Op::Eq:
        case Predicate::Op::NotEq: {
          const auto other = pred.otherCapture ? captured(match, *pred.otherCapture) : std::nullopt;
          const bool equal = pred.otherCapture ? (other && *other == *value)
                                               : (!pred.values.empty() && pred.values[0] == *value);
          ok = (pred.op == Predicate::Op::Eq) == equal;
          break;
        }
        case Predicate::Op::AnyOf: {
          ok = false;
          for (const auto& v : pred.values) ok = ok || v == *value;
          break;
        }
        case Predicate::Op::Match:
        case Predicate::Op::NotMatch: {
          const bool found = std::regex_search(value->begin(), value->end(), *pred.regex);
          ok = (pred.op == Predicate::Op::Match) == found;
          break;
        }
      }
      if (!ok) return false;
    }
    return true;
  };
  TSQueryMatch match;
  while (ts_query_cursor_next_match(cursor.get(), &match)) {
    if (!satisfied(match)) continue;
    if (out.matches.size() >= limits.maxMatches) {
      out.truncated = true;
      break;
    }
    Match m;
    m.pattern = match.pattern_index;
    m.captures.reserve(match.capture_count);
    for (std::uint16_t i = 0; i < match.capture_count; ++i) {
      const TSNode node = match.captures[i].node;
      Capture c;
      c.name = query.captureName(match.captures[i].index);
      c.nodeType = ts_node_type(node);
      c.startByte = ts_node_start_byte(node);
      c.endByte = ts_node_end_byte(node);
      c.startLine = ts_node_start_point(node).row;
      c.endLine = ts_node_end_point(node).row;
      m.captures.push_back(c);
    }
    out.matches.push_back(std::move(m));
  }
  if (ts_query_cursor_did_exceed_match_limit(cursor.get())) out.truncated = true;
  return out;
}

}  // namespace aspm::syntax
