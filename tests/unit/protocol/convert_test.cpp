// Protocol conversions: LSP payloads decode into the structs and encode back to the same JSON,
// and every kind of bad input is refused with the JSON path of the offending field.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "protocol/codec.h"
#include "protocol/json_convert.h"

namespace aspm::protocol {
namespace {

Json parse(std::string_view text) {
  auto j = Json::parse(text);
  EXPECT_TRUE(j) << text;
  return j ? *j : Json();
}

// Semantic JSON equality (key order does not matter).
bool sameJson(std::string_view a, std::string_view b) { return boost::json::parse(a) == boost::json::parse(b); }

template <typename T>
void expectRoundTrip(std::string_view text) {
  auto decoded = decode<T>(parse(text));
  ASSERT_TRUE(decoded) << decoded.error().message;
  const std::string back = encode(*decoded).serialize();
  EXPECT_TRUE(sameJson(back, text)) << "in:  " << text << "\nout: " << back;
}

template <typename T>
std::string errorOf(std::string_view text) {
  auto decoded = decode<T>(parse(text));
  if (decoded) return "(decoded)";
  EXPECT_EQ(decoded.error().code, transport::ErrorCode::InvalidParams);
  return decoded.error().message;
}

TEST(ProtocolRoundTrip, TextSynchronisation) {
  expectRoundTrip<DidOpenTextDocumentParams>(
      R"({"textDocument":{"uri":"file:///w/a.c","languageId":"c","version":1,"text":"int x;\n"}})");
  expectRoundTrip<DidChangeTextDocumentParams>(
      R"({"textDocument":{"uri":"file:///w/a.c","version":2},"contentChanges":[)"
      R"({"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":3}},"rangeLength":3,"text":"long"},)"
      R"({"text":"whole"}]})");
  expectRoundTrip<DidSaveTextDocumentParams>(R"({"textDocument":{"uri":"file:///w/a.c"},"text":"t"})");
  expectRoundTrip<DidCloseTextDocumentParams>(R"({"textDocument":{"uri":"file:///w/a.c"}})");
  expectRoundTrip<DidChangeWatchedFilesParams>(
      R"({"changes":[{"uri":"file:///w/x.sarif","type":1},{"uri":"file:///w/y.sarif","type":3}]})");
}

TEST(ProtocolRoundTrip, DiagnosticsAndHover) {
  expectRoundTrip<PublishDiagnosticsParams>(
      R"({"uri":"file:///w/a.c","version":4,"diagnostics":[{"range":{"start":{"line":12,"character":0},)"
      R"("end":{"line":12,"character":9}},"severity":1,"code":"FF1013","codeDescription":{"href":"https://cwe.mitre.org/"},)"
      R"("source":"Flawfinder","message":"m","relatedInformation":[{"location":{"uri":"file:///w/b.c","range":{)"
      R"("start":{"line":1,"character":0},"end":{"line":2,"character":0}}},"message":"step 1"}],)"
      R"("data":{"findingId":"0011aabb"}}]})");
  expectRoundTrip<DocumentDiagnosticReport>(R"({"kind":"full","resultId":"r1","items":[]})");
  expectRoundTrip<DocumentDiagnosticReport>(R"({"kind":"unchanged","resultId":"r1"})");
  expectRoundTrip<DocumentDiagnosticParams>(R"({"textDocument":{"uri":"u"},"previousResultId":"r0"})");
  expectRoundTrip<HoverParams>(R"({"textDocument":{"uri":"u"},"position":{"line":3,"character":7}})");
  expectRoundTrip<Hover>(R"({"contents":{"kind":"markdown","value":"**x**"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}}})");
  EXPECT_EQ(encode(HoverResult()).serialize(), "null");
  EXPECT_EQ(encode(NullResult()).serialize(), "null");
}

// A file's diagnostics are written straight to text (json_text.h); the text is byte for byte
// what serialising the Boost.JSON value gives, escapes of quotes, backslashes, control
// characters and non-ASCII text included, and it decodes back to the same structs.
TEST(ProtocolEncode, DiagnosticsTextIsWhatTheValueSerialisesTo) {
  PublishDiagnosticsParams p;
  p.uri = "file:///w/dir%20x/a.c";
  p.version = 7;
  Diagnostic full;
  full.range = {{12, 0}, {12, 4294967295u}};
  full.severity = DiagnosticSeverity::Hint;
  full.code = "js/sql\"injection\\";
  full.codeDescription = CodeDescription{"https://example.test/r?a=1&b=<2>"};
  full.source = "ESLint+Semgrep";
  full.message = std::string("tab\there, newline\n, cr\r, bell\x07, nul ") + std::string(1, '\0') +
                 " unit sep\x1f, del\x7f, slash /, \xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80, \b\f";
  full.relatedInformation = std::vector<DiagnosticRelatedInformation>{
      {Location{"file:///w/b.c", {{1, 2}, {3, 4}}}, "step 1 (source)"}, {Location{"file:///other/c.c", {}}, "a message long enough to pass whole words, then \"quoted\" \\ at byte 50"}};
  full.data = DiagnosticData{"00ff"};
  Diagnostic bare;
  bare.message = "";
  p.diagnostics = {full, bare};
  const std::string text = encode(p).serialize();
  EXPECT_EQ(text, boost::json::serialize(boost::json::value_from(p)));
  auto back = decode<PublishDiagnosticsParams>(parse(text));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->diagnostics.size(), 2u);
  EXPECT_EQ(back->diagnostics[0].message, full.message);
  EXPECT_EQ(back->diagnostics[0].range, full.range);
  EXPECT_EQ(*back->diagnostics[0].code, *full.code);
  EXPECT_EQ(back->diagnostics[0].relatedInformation->at(1).location.uri, "file:///other/c.c");
  EXPECT_FALSE(back->diagnostics[1].severity);
  // The encoded handle also reads as a value where a reader wants one.
  EXPECT_TRUE(encode(p).isObject());
  EXPECT_EQ(decode<PublishDiagnosticsParams>(encode(p))->uri, p.uri);

  DocumentDiagnosticReport report;
  report.resultId = "r\"1";
  report.items = {full};
  EXPECT_EQ(encode(report).serialize(), boost::json::serialize(boost::json::value_from(report)));
  report.kind = "unchanged";
  EXPECT_EQ(encode(report).serialize(), R"({"kind":"unchanged","resultId":"r\"1"})");
  PublishDiagnosticsParams empty;
  empty.uri = "u";
  EXPECT_EQ(encode(empty).serialize(), R"({"uri":"u","diagnostics":[]})");
}

TEST(ProtocolRoundTrip, WindowAndWorkspace) {
  expectRoundTrip<LogMessageParams>(R"({"type":2,"message":"a.sarif: /runs/0: bad"})");
  expectRoundTrip<ProgressParams>(R"({"token":"aspm-1","value":{"kind":"begin","title":"Loading","percentage":0}})");
  expectRoundTrip<ProgressParams>(R"({"token":7,"value":{"kind":"report","message":"x","percentage":50}})");
  expectRoundTrip<ProgressParams>(R"({"token":7,"value":{"kind":"end","message":"done"}})");
  expectRoundTrip<WorkDoneProgressCreateParams>(R"({"token":"t"})");
  expectRoundTrip<ConfigurationParams>(R"({"items":[{"section":"aspm"}]})");
  expectRoundTrip<RegistrationParams>(
      R"({"registrations":[{"id":"w","method":"m","registerOptions":{"watchers":[{"globPattern":"**/*.sarif"}]}}]})");
  expectRoundTrip<CancelParams>(R"({"id":12})");
  expectRoundTrip<CancelParams>(R"({"id":"abc"})");
  expectRoundTrip<AspmSettings>(R"({"sarif":["a/*.sarif"],"minSeverity":"high","store":{"url":"http://s"},"policy":"p"})");
}

TEST(ProtocolDecode, InitializeParamsWithRealClientShape) {
  // Trimmed from what VS Code sends; unknown fields are ignored.
  auto p = decode<InitializeParams>(parse(R"({
    "processId": 1234, "clientInfo": {"name": "Visual Studio Code", "version": "1.95.0"},
    "locale": "en", "rootPath": "/w", "rootUri": "file:///w",
    "capabilities": {
      "workspace": {"configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true},
                    "diagnostics": {"refreshSupport": true}, "workspaceEdit": {"documentChanges": true}},
      "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": false,
                       "tagSupport": {"valueSet": [1, 2]}, "codeDescriptionSupport": true, "dataSupport": true},
                       "hover": {"dynamicRegistration": true, "contentFormat": ["markdown", "plaintext"]},
                       "diagnostic": {"dynamicRegistration": true, "relatedDocumentSupport": false}},
      "window": {"workDoneProgress": true, "showMessage": {}},
      "general": {"positionEncodings": ["utf-16"]}},
    "initializationOptions": {"sarif": ["out/*.sarif"]},
    "trace": "off", "workspaceFolders": [{"uri": "file:///w", "name": "w"}]})"));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->processId, 1234);
  EXPECT_EQ(p->rootUri, "file:///w");
  EXPECT_TRUE(p->capabilities.workspace.configuration);
  EXPECT_TRUE(p->capabilities.workspace.didChangeWatchedFiles.dynamicRegistration);
  ASSERT_TRUE(p->capabilities.workspace.diagnostics);
  EXPECT_TRUE(p->capabilities.workspace.diagnostics->refreshSupport);
  ASSERT_TRUE(p->capabilities.textDocument.diagnostic);
  EXPECT_TRUE(p->capabilities.window.workDoneProgress);
  ASSERT_TRUE(p->workspaceFolders);
  EXPECT_EQ(p->workspaceFolders->at(0).name, "w");
  auto settings = decode<AspmSettings>(p->initializationOptions, "initializationOptions");
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->sarif, std::vector<std::string>{"out/*.sarif"});
}

TEST(ProtocolDecode, MinimalClientAndNulls) {
  auto p = decode<InitializeParams>(parse(R"({"processId":null,"rootUri":null,"capabilities":{}})"));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_FALSE(p->processId);
  EXPECT_FALSE(p->rootUri);
  EXPECT_FALSE(p->capabilities.textDocument.diagnostic);
  EXPECT_TRUE(p->initializationOptions.isNull());
  EXPECT_TRUE(decode<InitializedParams>(Json()));  // absent params
  EXPECT_TRUE(decode<InitializedParams>(parse("{}")));
}

TEST(ProtocolDecode, SettingsAcceptASingleGlob) {
  auto s = decode<AspmSettings>(parse(R"({"sarif":"reports/*.sarif"})"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->sarif, std::vector<std::string>{"reports/*.sarif"});
  auto c = decode<ConfigurationSettings>(parse(R"({"aspm":{"minSeverity":"low"}})"));
  ASSERT_TRUE(c && c->aspm);
  EXPECT_EQ(c->aspm->minSeverity, "low");
}

TEST(ProtocolDecode, IntegerDiagnosticCodesBecomeText) {
  auto d = decode<Diagnostic>(parse(R"({"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"code":42,"message":"m"})"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, "42");
}

TEST(ProtocolErrors, NameTheJsonPath) {
  EXPECT_EQ(errorOf<HoverParams>(R"({"textDocument":{"uri":5},"position":{"line":0,"character":0}})"),
            "params.textDocument.uri: expected string, got integer");
  EXPECT_EQ(errorOf<HoverParams>(R"({"textDocument":{"uri":"u"}})"), "params.position: required field missing");
  EXPECT_EQ(errorOf<DidChangeTextDocumentParams>(
                R"({"textDocument":{"uri":"u","version":1},"contentChanges":[{"text":""},{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":""}]})"),
            "params.contentChanges[1].range.start.line: integer -1 out of range");
  EXPECT_EQ(errorOf<DidChangeWatchedFilesParams>(R"({"changes":[{"uri":"u","type":9}]})"),
            "params.changes[0].type: expected an integer from 1 to 3, got 9");
  EXPECT_EQ(errorOf<DidOpenTextDocumentParams>("[]"), "params: expected object, got array");
  EXPECT_EQ(errorOf<DidOpenTextDocumentParams>("{}"), "params.textDocument: required field missing");
  EXPECT_EQ(errorOf<DidOpenTextDocumentParams>(R"({"textDocument":{"uri":"u","languageId":"c","version":1.5,"text":""}})"),
            "params.textDocument.version: expected integer, got number");
  EXPECT_EQ(errorOf<DidOpenTextDocumentParams>(R"({"textDocument":{"uri":"u","languageId":"c","version":3000000000,"text":""}})"),
            "params.textDocument.version: integer 3000000000 out of range");
  EXPECT_EQ(errorOf<ProgressParams>(R"({"token":1,"value":{"kind":"middle"}})"),
            "params.value: expected a work done progress value with kind \"begin\", \"report\" or \"end\"");
  EXPECT_EQ(errorOf<CancelParams>(R"({"id":true})"), "params.id: expected integer or string, got boolean");
  EXPECT_EQ(errorOf<AspmSettings>(R"({"sarif":[1]})"), "params.sarif[0]: expected string, got integer");
}

TEST(ProtocolErrors, CustomRootForResponses) {
  auto r = decode<ConfigurationResult>(parse("{}"), "result");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "result: expected array, got object");
}

TEST(ProtocolTagInvoke, BoostValueToThrowsWithPath) {
  try {
    (void)boost::json::value_to<Range>(boost::json::parse(R"({"start":{"line":1,"character":"x"},"end":{}})"));
    FAIL() << "no exception";
  } catch (const ConversionError& e) {
    EXPECT_STREQ(e.what(), "start.character: expected integer, got string");
  }
  const Position p{3, 4};
  EXPECT_EQ(boost::json::serialize(boost::json::value_from(p)), R"({"line":3,"character":4})");
}

TEST(ProtocolEncode, ServerCapabilitiesAreWhatClientsExpect) {
  InitializeResult r;
  r.capabilities.diagnosticProvider = DiagnosticOptions{};
  r.serverInfo = ServerInfo{"aspm-ls", "0.1.0"};
  EXPECT_TRUE(sameJson(encode(r).serialize(), R"({"capabilities":{"positionEncoding":"utf-16",
      "textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,
      "diagnosticProvider":{"interFileDependencies":false,"workspaceDiagnostics":false}},
      "serverInfo":{"name":"aspm-ls","version":"0.1.0"}})"))
      << encode(r).serialize();
}

}  // namespace
}  // namespace aspm::protocol
