// Correlation quality on real multi-tool scans of the same code: flawfinder, clang scan-build,
// cppcheck and gcc -fanalyzer over tests/data/correlation/c-vault and c-multiline (reports
// committed, produced by each project's scan.sh). Prints pair precision and recall against the
// hand-labelled duplicates in labels.tsv and holds them to the targets (precision >= 95%,
// recall >= 80%). Correlation runs with the tree-sitter statement oracle the engine uses, as
// aspm does; c-multiline also measures without it, to show what the statement rule adds.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "correlate/correlate.h"
#include "ingest/ingest.h"
#include "support/file.h"
#include "syntax/statement.h"

namespace aspm::correlate {
namespace {
namespace fs = std::filesystem;

struct Labelled {
  std::string problem, tool, rule;
  std::uint32_t line;
};

std::vector<Labelled> readLabels(const fs::path& file) {
  std::vector<Labelled> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream row(line);
    Labelled l;
    std::string n;
    std::getline(row, l.problem, '\t');
    std::getline(row, l.tool, '\t');
    std::getline(row, l.rule, '\t');
    std::getline(row, n, '\t');
    l.line = static_cast<std::uint32_t>(std::stoul(n));
    out.push_back(l);
  }
  return out;
}

struct Quality {
  std::size_t truePairs = 0, predictedPairs = 0, correct = 0;
  double precision() const { return predictedPairs ? double(correct) / double(predictedPairs) : 1.0; }
  double recall() const { return truePairs ? double(correct) / double(truePairs) : 1.0; }
};

// What engine::statementProvider() does, without linking the engine.
StatementProvider treeSitterStatements() {
  return [](const std::string& path, const std::string& content, std::span<const SourcePoint> points) {
    std::vector<syntax::ReportedPoint> in;
    for (const auto& p : points) in.push_back({p.line, p.column});
    std::vector<std::optional<StatementSpan>> out;
    for (const auto& s : syntax::enclosingStatements(path, content, in))
      out.push_back(s ? std::optional<StatementSpan>(StatementSpan{s->startByte, s->endByte}) : std::nullopt);
    return out;
  };
}

Quality measure(const fs::path& project, std::vector<std::string>* unmatchedLabels, bool statements = true) {
  model::ScanSet scans;
  // The files of the scanned tree, so absolute URIs from the scanning machine (scan-build
  // writes file:///tmp/aspm-c-vault/...) are mapped by path suffix.
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(project / "src"))
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), project).generic_string());
  ingest::PathResolver resolver(fs::absolute(project).string(), files);
  for (const auto& entry : fs::directory_iterator(project / "reports")) {
    ingest::IngestOptions io;
    io.resolver = &resolver;
    auto r = ingest::ingestFile(entry.path().string(), io);
    for (const auto& p : r.problems) ADD_FAILURE() << p.file << ": " << p.path << ": " << p.message;
    ingest::append(scans, std::move(r.value));
  }
  CorrelateOptions o;
  o.content = [&](const std::string& rel) -> std::shared_ptr<const std::string> {
    auto t = support::readFile((project / rel).string());
    return t ? std::make_shared<const std::string>(std::move(*t)) : nullptr;
  };
  if (statements) o.statements = treeSitterStatements();
  const Correlation c = correlate(scans, o);

  // Problem of each result from the labels; unlabelled results are their own problem.
  const auto labels = readLabels(project / "labels.tsv");
  std::vector<std::string> problem(scans.results.size());
  std::vector<std::string> family(scans.results.size());
  std::vector<bool> used(labels.size());
  for (std::size_t i = 0; i < scans.results.size(); ++i) {
    const auto& r = scans.results[i];
    family[i] = toolFamily(scans.runs[r.run].tool.name);
    const std::uint32_t line = r.locations.empty() ? 0 : r.locations.front().region.startLine;
    problem[i] = "#" + std::to_string(i);
    for (std::size_t k = 0; k < labels.size(); ++k) {
      if (labels[k].tool == family[i] && labels[k].rule == r.ruleId && labels[k].line == line) {
        problem[i] = labels[k].problem;
        used[k] = true;
      }
    }
  }
  for (std::size_t k = 0; k < labels.size(); ++k)
    if (!used[k]) unmatchedLabels->push_back(labels[k].tool + " " + labels[k].rule + " " + std::to_string(labels[k].line));

  using Pair = std::pair<std::uint32_t, std::uint32_t>;
  std::set<Pair> truth, predicted;
  for (std::uint32_t a = 0; a < scans.results.size(); ++a)
    for (std::uint32_t b = a + 1; b < scans.results.size(); ++b)
      if (family[a] != family[b] && problem[a] == problem[b]) truth.insert({a, b});
  for (const auto& f : c.findings)
    for (std::size_t i = 0; i < f.results.size(); ++i)
      for (std::size_t j = i + 1; j < f.results.size(); ++j) {
        auto a = f.results[i], b = f.results[j];
        if (family[a] == family[b]) continue;
        predicted.insert({std::min(a, b), std::max(a, b)});
      }
  Quality q;
  q.truePairs = truth.size();
  q.predictedPairs = predicted.size();
  for (const auto& p : predicted) {
    if (truth.count(p)) ++q.correct;
    else
      std::cout << "  false merge: " << family[p.first] << " " << scans.results[p.first].ruleId << " / " << family[p.second]
                << " " << scans.results[p.second].ruleId << "\n";
  }
  for (const auto& p : truth)
    if (!predicted.count(p))
      std::cout << "  missed: " << family[p.first] << " " << scans.results[p.first].ruleId << " / " << family[p.second] << " "
                << scans.results[p.second].ruleId << " (" << problem[p.first] << ")\n";
  std::cout << project.filename().string() << ": " << scans.results.size() << " results -> " << c.findings.size()
            << " findings\n";
  return q;
}

TEST(CorrelationQuality, CProjectFourAnalyzers) {
  const fs::path project = fs::path(ASPM_SOURCE_DIR) / "tests/data/correlation/c-vault";
  std::vector<std::string> unmatched;
  const Quality q = measure(project, &unmatched);
  for (const auto& u : unmatched) ADD_FAILURE() << "label matches no result: " << u;
  std::cout << "pair precision " << q.correct << "/" << q.predictedPairs << " = " << q.precision() * 100 << "%, recall "
            << q.correct << "/" << q.truePairs << " = " << q.recall() * 100 << "%\n";
  EXPECT_GE(q.truePairs, 30u);
  EXPECT_GE(q.precision(), 0.95);
  EXPECT_GE(q.recall(), 0.80);
}

TEST(CorrelationQuality, MultiLineCallsFourAnalyzers) {
  const fs::path project = fs::path(ASPM_SOURCE_DIR) / "tests/data/correlation/c-multiline";
  std::vector<std::string> unmatched;
  std::cout << "line window only:\n";
  const Quality window = measure(project, &unmatched, false);
  std::cout << "pair precision " << window.correct << "/" << window.predictedPairs << ", recall " << window.correct << "/"
            << window.truePairs << "\nwith the enclosing statement:\n";
  unmatched.clear();
  const Quality q = measure(project, &unmatched);
  for (const auto& u : unmatched) ADD_FAILURE() << "label matches no result: " << u;
  std::cout << "pair precision " << q.correct << "/" << q.predictedPairs << " = " << q.precision() * 100 << "%, recall "
            << q.correct << "/" << q.truePairs << " = " << q.recall() * 100 << "%\n";
  EXPECT_GE(q.truePairs, 20u);
  EXPECT_GE(q.precision(), 0.95);
  EXPECT_GE(q.recall(), 0.80);
  // The statement rule finds the pairs 4 and 5 lines apart the window misses, and adds no wrong one.
  EXPECT_GT(q.correct, window.correct);
  EXPECT_EQ(q.predictedPairs - q.correct, window.predictedPairs - window.correct);
}

}  // namespace
}  // namespace aspm::correlate
