// The text of the remediation knowledge base, kept apart from the lookup code so that adding or
// correcting advice is a data change. Each entry says what an attacker gains, the fix that
// removes the weakness (not only the one that silences a scanner) and a minimal unsafe/safe pair
// per language where scanners commonly report it. Examples are deliberately short: they are shown
// in an editor hover. docs/remediation.md explains how to add an entry.
#include <string>
#include <utility>
#include <vector>

#include "remediation/guidance.h"

namespace aspm::remediation::detail {
namespace {

std::string cheatSheet(std::string_view page) {
  return "https://cheatsheetseries.owasp.org/cheatsheets/" + std::string(page) + "_Cheat_Sheet.html";
}

std::string community(std::string_view page) {
  return "https://owasp.org/www-community/" + std::string(page);
}

Example ex(std::string language, std::string unsafeCode, std::string safeCode) {
  return Example{std::move(language), std::move(unsafeCode), std::move(safeCode)};
}

class Builder {
 public:
  void add(int cwe, std::string name, std::string why, std::string fix, std::vector<Example> examples,
           std::vector<std::string> references) {
    Guidance g;
    g.cwe = "CWE-" + std::to_string(cwe);
    g.name = std::move(name);
    g.uri = "https://cwe.mitre.org/data/definitions/" + std::to_string(cwe) + ".html";
    g.why = std::move(why);
    g.fix = std::move(fix);
    g.examples = std::move(examples);
    g.references = std::move(references);
    entries_.push_back(std::move(g));
  }
  std::vector<Guidance> take() { return std::move(entries_); }

 private:
  std::vector<Guidance> entries_;
};

// ---------------------------------------------------------------------------------------------
// Injection: untrusted data reaching an interpreter (shell, SQL, HTML, code, queries, headers).
// ---------------------------------------------------------------------------------------------
void injection(Builder& b) {
  b.add(20, "Improper Input Validation",
        "Input that is not checked against what the program expects (type, length, range, format) reaches code "
        "that assumes it is well formed. Depending on where it flows this becomes injection, memory corruption, "
        "denial of service or broken business logic.",
        "Validate every untrusted input at the trust boundary against an allow-list: parse it into a typed value, "
        "check length and range, and reject (do not repair) anything else. Prefer schema validation for structured "
        "input. Validation complements, and never replaces, output encoding and parameterised APIs.",
        {ex("python", R"~(profile.update(age=request.args["age"]))~",
            R"~(try:
    age = int(request.args["age"])
except (KeyError, ValueError):
    abort(400)
if not 0 < age < 150:
    abort(400)
profile.update(age=age))~"),
         ex("javascript", R"~(const qty = req.body.qty;
order.add(item, qty);)~",
            R"~(const qty = Number.parseInt(req.body.qty, 10);
if (!Number.isInteger(qty) || qty < 1 || qty > 100) return res.sendStatus(400);
order.add(item, qty);)~"),
         ex("java", R"~(int qty = Integer.parseInt(request.getParameter("qty"));)~",
            R"~(int qty;
try { qty = Integer.parseInt(request.getParameter("qty")); }
catch (NumberFormatException e) { throw new BadRequestException(); }
if (qty < 1 || qty > 100) throw new BadRequestException();)~"),
         ex("c", R"~(int n = atoi(argv[1]);
char *buf = malloc(n);)~",
            R"~(char *end;
errno = 0;
long n = strtol(argv[1], &end, 10);
if (errno || *end || n <= 0 || n > MAX_LEN) return EINVAL;
char *buf = malloc((size_t)n);)~")},
        {cheatSheet("Input_Validation")});

  const std::string traversalWhy =
      "A file name built from user input can contain `../` sequences or an absolute path, letting an attacker "
      "read or overwrite files outside the intended directory: configuration, keys, source code or system files.";
  const std::string traversalFix =
      "Do not use user input as a path. Map it to a server-side identifier, or accept only a bare file name "
      "checked against an allow-list pattern. If a path must be built, join it to the base directory, "
      "canonicalise it (resolving `..` and symbolic links) and verify the result is still inside the base "
      "directory before opening it.";
  std::vector<Example> traversalExamples = {
      ex("python", R"~(path = os.path.join(UPLOADS, request.args["name"])
return send_file(path))~",
         R"~(base = os.path.realpath(UPLOADS)
path = os.path.realpath(os.path.join(base, request.args["name"]))
if os.path.commonpath([base, path]) != base:
    abort(404)
return send_file(path))~"),
      ex("javascript", R"~(res.sendFile(path.join(UPLOADS, req.query.name));)~",
         R"~(const base = path.resolve(UPLOADS);
const file = path.resolve(base, String(req.query.name));
if (!file.startsWith(base + path.sep)) return res.sendStatus(404);
res.sendFile(file);)~"),
      ex("java", R"~(File f = new File(UPLOADS, request.getParameter("name"));)~",
         R"~(Path base = Paths.get(UPLOADS).toRealPath();
Path f = base.resolve(request.getParameter("name")).normalize();
if (!f.startsWith(base)) throw new ForbiddenException();)~"),
      ex("go", R"~(http.ServeFile(w, r, filepath.Join(uploads, r.URL.Query().Get("name"))))~",
         R"~(// os.Root (Go 1.24+) refuses names that escape the directory.
root, err := os.OpenRoot(uploads)
if err != nil { return err }
f, err := root.Open(r.URL.Query().Get("name"))
if err != nil { http.NotFound(w, r); return })~")};
  const std::vector<std::string> traversalRefs = {community("attacks/Path_Traversal"), cheatSheet("Input_Validation")};
  b.add(22, "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')", traversalWhy,
        traversalFix, traversalExamples, traversalRefs);
  b.add(23, "Relative Path Traversal", traversalWhy, traversalFix, traversalExamples, traversalRefs);
  b.add(36, "Absolute Path Traversal",
        "When user input is used as a path, an absolute path such as `/etc/passwd` or `C:\\Windows\\...` "
        "ignores the intended base directory altogether (joining a base with an absolute path yields the absolute "
        "path), exposing or overwriting any file the process can reach.",
        traversalFix, traversalExamples, traversalRefs);
  b.add(73, "External Control of File Name or Path",
        "The program lets input decide which file it opens, creates or deletes. Besides traversal out of the "
        "intended directory, an attacker can point it at devices, special files or other users' data.",
        traversalFix, traversalExamples, traversalRefs);

  b.add(74, "Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')",
        "Data is concatenated into a string that another component parses (a shell, SQL engine, browser, "
        "template, LDAP or XPath engine). Characters that are syntax for that component let the attacker change "
        "the command instead of supplying a value.",
        "Keep code and data apart: use the downstream API that takes values separately (parameterised queries, "
        "argument vectors, DOM text setters, auto-escaping templates). Where only a string is possible, encode "
        "for exactly that context with a maintained library, and validate input against an allow-list.",
        {ex("python", R"~(cursor.execute(f"SELECT * FROM users WHERE name = '{name}'"))~",
            R"~(cursor.execute("SELECT * FROM users WHERE name = %s", (name,)))~"),
         ex("javascript", R"~(el.innerHTML = "<b>" + name + "</b>";)~", R"~(const b = document.createElement("b");
b.textContent = name;
el.replaceChildren(b);)~")},
        {cheatSheet("Injection_Prevention")});

  const std::vector<Example> commandExamples = {
      ex("python", R"~(os.system("convert " + filename + " out.png"))~",
         R"~(subprocess.run(["convert", "--", filename, "out.png"], check=True)  # no shell)~"),
      ex("javascript", R"~(exec(`git log ${branch}`, cb);)~",
         R"~(execFile("git", ["log", "--end-of-options", branch], cb);  // no shell)~"),
      ex("typescript", R"~(exec(`git log ${branch}`, cb);)~",
         R"~(execFile("git", ["log", "--end-of-options", branch], cb);  // no shell)~"),
      ex("java", R"~(Runtime.getRuntime().exec("ping -c 1 " + host);)~",
         R"~(if (!HOST.matcher(host).matches()) throw new IllegalArgumentException();
new ProcessBuilder("ping", "-c", "1", host).start();  // no shell)~"),
      ex("go", R"~(exec.Command("sh", "-c", "tar xf "+name).Run())~",
         R"~(exec.Command("tar", "xf", "--", name).Run()  // no shell)~"),
      ex("c", R"~(snprintf(cmd, sizeof cmd, "gzip %s", path);
system(cmd);)~",
         R"~(pid_t pid = fork();
if (pid == 0) { execlp("gzip", "gzip", "--", path, (char *)NULL); _exit(127); })~"),
      ex("php", R"~(system("nslookup " . $_GET['host']);)~",
         R"~(system("nslookup " . escapeshellarg($_GET['host']));)~"),
      ex("ruby", R"~(system("identify #{params[:file]}"))~",
         R"~(system("identify", "--", params[:file])  # no shell)~"),
      ex("bash", R"~(eval "ls $dir")~", R"~(ls -- "$dir")~")};
  const std::string commandFix =
      "Do not build shell command lines from input. Call the program directly with an argument vector (no "
      "shell), end options with `--` so a value cannot become a flag, and validate values against an "
      "allow-list. Better still, use a library API instead of a subprocess.";
  b.add(77, "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
        "Input becomes part of a command string interpreted by another program, so separators and quoting let "
        "an attacker run different commands with the application's privileges.",
        commandFix, commandExamples,
        {cheatSheet("OS_Command_Injection_Defense"), community("attacks/Command_Injection")});
  b.add(78, "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
        "Shell metacharacters (`;`, `|`, `&&`, `$()`, backticks, newlines) in input passed to a shell let an "
        "attacker run arbitrary commands with the application's privileges: full compromise of the host and "
        "everything it can reach.",
        commandFix, commandExamples,
        {cheatSheet("OS_Command_Injection_Defense"), community("attacks/Command_Injection")});
  b.add(88, "Improper Neutralization of Argument Delimiters in a Command ('Argument Injection')",
        "Even without a shell, a value that starts with `-` or contains spaces (unquoted in shell scripts) becomes "
        "extra options of the called program, e.g. `--output=/etc/...` or git's `--upload-pack=`, which can "
        "read or write files or run commands.",
        "Pass each value as one argument, terminate options with `--` (or `--end-of-options`), reject values "
        "starting with `-`, and in shell scripts always double-quote expansions (`\"$var\"`, `\"$@\"`).",
        {ex("bash", R"~(rm $files
cp $src $dst)~",
            R"~(rm -- "${files[@]}"
cp -- "$src" "$dst")~"),
         ex("python", R"~(subprocess.run(["git", "clone", url, dest]))~",
            R"~(if url.startswith("-"):
    raise ValueError("bad url")
subprocess.run(["git", "clone", "--", url, dest], check=True))~"),
         ex("go", R"~(exec.Command("curl", userURL).Run())~", R"~(exec.Command("curl", "--", userURL).Run())~")},
        {cheatSheet("OS_Command_Injection_Defense")});

  const std::vector<std::string> xssRefs = {cheatSheet("Cross_Site_Scripting_Prevention"),
                                            cheatSheet("DOM_based_XSS_Prevention")};
  const std::vector<Example> xssExamples = {
      ex("javascript", R"~(results.innerHTML = "Results for " + params.get("q");)~",
         R"~(results.textContent = "Results for " + params.get("q");)~"),
      ex("typescript", R"~(res.send(`<p>Hello ${req.query.name}</p>`);)~",
         R"~(// Render with an auto-escaping template engine instead of string building.
res.render("hello", { name: String(req.query.name ?? "") });)~"),
      ex("tsx", R"~(<div dangerouslySetInnerHTML={{ __html: comment.body }} />)~",
         R"~(<div>{comment.body}</div>  {/* React escapes text */})~"),
      ex("python", R"~(return f"<p>Hello {request.args['name']}</p>")~",
         R"~(from markupsafe import escape
return f"<p>Hello {escape(request.args['name'])}</p>")~"),
      ex("java", R"~(out.println("<p>Hello " + request.getParameter("name") + "</p>");)~",
         R"~(import org.owasp.encoder.Encode;
out.println("<p>Hello " + Encode.forHtml(request.getParameter("name")) + "</p>");)~"),
      ex("go", R"~(fmt.Fprintf(w, "<p>Hello %s</p>", r.URL.Query().Get("name")))~",
         R"~(// html/template escapes by context; text/template does not.
tmpl := template.Must(template.New("").Parse(`<p>Hello {{.}}</p>`))
tmpl.Execute(w, r.URL.Query().Get("name")))~"),
      ex("php", R"~(echo "<p>Hello " . $_GET['name'] . "</p>";)~",
         R"~(echo "<p>Hello " . htmlspecialchars($_GET['name'], ENT_QUOTES, 'UTF-8') . "</p>";)~"),
      ex("ruby", R"~(<%= raw params[:name] %>)~", R"~(<%= params[:name] %>  <%# ERB in Rails escapes by default %>)~")};
  const std::string xssFix =
      "Let the framework escape: use auto-escaping templates and DOM text APIs (`textContent`, React/JSX "
      "text) instead of building HTML strings or assigning `innerHTML`. When a value must go into HTML, an "
      "attribute, JavaScript or a URL, encode it for that exact context. Sanitise user-supplied HTML with a "
      "maintained sanitiser (DOMPurify), and add a Content Security Policy as defence in depth.";
  b.add(79, "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
        "Input rendered into a page without encoding runs as script in the victim's browser under the site's "
        "origin: the attacker can steal sessions and tokens, act as the user, read anything the user sees and "
        "rewrite the page (phishing, keylogging).",
        xssFix, xssExamples, xssRefs);
  b.add(80, "Improper Neutralization of Script-Related HTML Tags in a Web Page (Basic XSS)",
        "Characters such as `<`, `>` and `&` in input are written into HTML unescaped, so `<script>` or an "
        "event-handler attribute supplied by an attacker runs in other users' browsers.",
        xssFix, xssExamples, xssRefs);

  const std::vector<Example> sqlExamples = {
      ex("python", R"~(cur.execute("SELECT * FROM users WHERE email = '%s'" % email))~",
         R"~(cur.execute("SELECT * FROM users WHERE email = %s", (email,)))~"),
      ex("javascript", R"~(db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);)~",
         R"~(db.query("SELECT * FROM users WHERE id = $1", [req.params.id]);)~"),
      ex("typescript", R"~(db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);)~",
         R"~(db.query("SELECT * FROM users WHERE id = $1", [req.params.id]);)~"),
      ex("java", R"~(stmt.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");)~",
         R"~(PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
ps.setString(1, name);
ResultSet rs = ps.executeQuery();)~"),
      ex("go", R"~(db.Query("SELECT * FROM users WHERE name = '" + name + "'"))~",
         R"~(db.Query("SELECT * FROM users WHERE name = $1", name))~"),
      ex("c_sharp", R"~(new SqlCommand("SELECT * FROM Users WHERE Name = '" + name + "'", conn);)~",
         R"~(var cmd = new SqlCommand("SELECT * FROM Users WHERE Name = @name", conn);
cmd.Parameters.AddWithValue("@name", name);)~"),
      ex("php", R"~($db->query("SELECT * FROM users WHERE id = " . $_GET['id']);)~",
         R"~($stmt = $db->prepare("SELECT * FROM users WHERE id = ?");
$stmt->execute([$_GET['id']]);)~"),
      ex("ruby", R"~(User.where("name = '#{params[:name]}'"))~", R"~(User.where(name: params[:name]))~")};
  b.add(89, "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
        "Input concatenated into SQL can close the literal and add its own clauses: read every table, bypass "
        "login checks, modify or delete data and, on some databases, execute commands on the server.",
        "Use parameterised queries (prepared statements, bind variables) or an ORM's query builder for every "
        "value. Identifiers that cannot be parameters (table or column names, sort order) must come from a fixed "
        "allow-list in code. Run the application with a database account that has only the rights it needs.",
        sqlExamples, {cheatSheet("SQL_Injection_Prevention"), cheatSheet("Query_Parameterization")});

  b.add(90, "Improper Neutralization of Special Elements used in an LDAP Query ('LDAP Injection')",
        "Characters such as `*`, `(`, `)` and `\\` in input change the meaning of an LDAP filter or DN: an "
        "attacker can bypass authentication (`*)(uid=*`), enumerate the directory or read attributes they "
        "should not see.",
        "Escape every value with the LDAP library's filter-encoding function (RFC 4515) and DN-encoding function "
        "(RFC 4514), validate input against an allow-list (e.g. user names), and bind with a least-privilege "
        "account.",
        {ex("java", R"~(String filter = "(uid=" + user + ")";)~",
            R"~(// Spring LDAP's LdapEncoder implements RFC 4515 filter escaping.
String filter = "(uid=" + LdapEncoder.filterEncode(user) + ")";)~"),
         ex("python", R"~(conn.search(base, f"(uid={user})"))~", R"~(from ldap3.utils.conv import escape_filter_chars
conn.search(base, f"(uid={escape_filter_chars(user)})"))~")},
        {cheatSheet("LDAP_Injection_Prevention")});

  const std::string crlfFix =
      "Reject or strip CR (`\\r`) and LF (`\\n`) from any value written into a header, a log line or another "
      "line-based protocol; use the framework's header APIs, which refuse such values in current versions, and "
      "structured (JSON) logging that encodes control characters.";
  b.add(93, "Improper Neutralization of CRLF Sequences ('CRLF Injection')",
        "Line breaks in input split one header or record into two, letting an attacker add HTTP headers, forge "
        "log entries or inject commands into line-based protocols (SMTP, Redis).",
        crlfFix,
        {ex("python", R"~(log.info("login failed for " + username))~",
            R"~(log.info("login failed for %r", username)  # repr() escapes \r and \n)~"),
         ex("java", R"~(response.addHeader("X-User", request.getParameter("user"));)~",
            R"~(String user = request.getParameter("user").replaceAll("[\\r\\n]", "");
response.addHeader("X-User", user);)~")},
        {community("attacks/HTTP_Response_Splitting"), cheatSheet("Logging")});
  b.add(113, "Improper Neutralization of CRLF Sequences in HTTP Headers ('HTTP Request/Response Splitting')",
        "A CR/LF pair in a value copied into a response header ends that header; the attacker then writes their "
        "own headers or a whole second response, enabling cache poisoning, session fixation via Set-Cookie, and "
        "XSS.",
        crlfFix,
        {ex("java", R"~(response.setHeader("Location", request.getParameter("next"));)~",
            R"~(String next = request.getParameter("next");
if (next == null || next.matches(".*[\\r\\n].*")) throw new BadRequestException();
response.setHeader("Location", next);)~"),
         ex("javascript", R"~(res.setHeader("Content-Disposition", `attachment; filename=${name}`);)~",
            R"~(// contentDisposition() encodes the value; Node rejects raw CR/LF in headers.
res.setHeader("Content-Disposition", contentDisposition(name));)~")},
        {community("attacks/HTTP_Response_Splitting")});

  const std::vector<Example> codeInjectionExamples = {
      ex("python", R"~(result = eval(request.args["expr"]))~",
         R"~(import ast
value = ast.literal_eval(request.args["expr"])  # literals only, no calls)~"),
      ex("javascript", R"~(const fn = new Function("x", "return " + req.body.formula);)~",
         R"~(// Parse the small language you need instead of evaluating JavaScript.
const value = evaluateFormula(parseFormula(req.body.formula));)~"),
      ex("typescript", R"~(setTimeout("refresh('" + id + "')", 1000);)~", R"~(setTimeout(() => refresh(id), 1000);)~"),
      ex("java", R"~(new ScriptEngineManager().getEngineByName("js").eval(userScript);)~",
         R"~(// Do not evaluate user code; map input to predefined operations.
Operation op = Operation.valueOf(request.getParameter("op"));)~"),
      ex("php", R"~(eval('$x = ' . $_GET['v'] . ';');)~", R"~($x = filter_var($_GET['v'], FILTER_VALIDATE_INT);)~"),
      ex("ruby", R"~(instance_eval(params[:code]))~", R"~(ALLOWED = { "sum" => :sum, "max" => :max }.freeze
values.public_send(ALLOWED.fetch(params[:op])))~")};
  const std::string codeInjectionFix =
      "Never pass input to `eval`, `exec`, `Function`, script engines or string-taking timers. Parse data with "
      "a data parser (`json.loads`, `ast.literal_eval`, `JSON.parse`), map choices to a fixed table of "
      "functions, and if users really must supply logic, run it in a sandboxed interpreter designed for that "
      "with strict resource limits.";
  b.add(94, "Improper Control of Generation of Code ('Code Injection')",
        "Input becomes program code that the application compiles or evaluates, so an attacker runs arbitrary "
        "code inside the application process with all its data, credentials and privileges.",
        codeInjectionFix, codeInjectionExamples,
        {community("attacks/Code_Injection"), cheatSheet("Injection_Prevention")});
  b.add(95, "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
        "Input reaches `eval` or an equivalent, where the language's full syntax is available to the attacker: "
        "arbitrary code execution inside the application.",
        codeInjectionFix, codeInjectionExamples,
        {community("attacks/Code_Injection"), cheatSheet("Injection_Prevention")});
  b.add(96, "Improper Neutralization of Directives in Statically Saved Code ('Static Code Injection')",
        "Input is written into a file that is later loaded as code (a generated config module, a PHP include, a "
        "template), so the attacker's code runs whenever that file is loaded.",
        "Store user data in data formats (JSON, a database), never in files that are executed or included. If "
        "code must be generated, serialise values with a proper encoder (e.g. `json.dumps`, `var_export`) and "
        "allow-list what may be generated.",
        {ex("python", R"~(open("settings_local.py", "w").write(f"THEME = '{theme}'\n"))~",
            R"~(json.dump({"theme": theme}, open("settings_local.json", "w"))  # data, not code)~"),
         ex("php", R"~(file_put_contents('config.php', "<?php \$title = '" . $_POST['title'] . "';");)~",
            R"~(file_put_contents('config.json', json_encode(['title' => $_POST['title']]));)~")},
        {community("attacks/Code_Injection")});

  b.add(99, "Improper Control of Resource Identifiers ('Resource Injection')",
        "Input chooses a resource identifier (a file, port, host, database or class name) that the program then "
        "uses, letting an attacker point the program at resources it was never meant to touch.",
        "Map user choices to identifiers held server-side (an index into a fixed list or table) instead of "
        "accepting the identifier itself; validate anything that must be accepted against an allow-list.",
        {ex("java", R"~(Socket s = new Socket(host, Integer.parseInt(request.getParameter("port")));)~",
            R"~(int port = switch (request.getParameter("service")) {
  case "search" -> 9200; case "cache" -> 6379;
  default -> throw new BadRequestException();
};)~"),
         ex("python", R"~(conn = psycopg.connect(dbname=request.args["db"]))~",
            R"~(DBS = {"eu": "app_eu", "us": "app_us"}
conn = psycopg.connect(dbname=DBS[request.args["region"]]))~")},
        {cheatSheet("Input_Validation")});

  b.add(116, "Improper Encoding or Escaping of Output",
        "Output handed to another parser (HTML, a shell, a log, a regular expression, a URL) is encoded for the "
        "wrong context, incompletely (e.g. replacing only the first occurrence, or forgetting `\\`), or not at "
        "all, so crafted input changes the structure of the output.",
        "Use the encoding function made for the exact target context instead of hand-written replace calls: HTML "
        "text vs. attribute vs. JavaScript vs. URL component each need their own encoder. When escaping by hand "
        "is unavoidable, replace every occurrence (global flag) and escape the escape character first.",
        {ex("javascript", R"~(const safe = s.replace("'", "\\'");  // first match only, and no backslash)~",
            R"~(const safe = JSON.stringify(s);  // or a context-specific encoder)~"),
         ex("python", R"~(html = "<a title='" + title.replace("'", "") + "'>")~",
            R"~(from markupsafe import escape
html = f"<a title='{escape(title)}'>")~"),
         ex("java", R"~(String js = "var name = '" + name.replace("'", "\\'") + "';";)~",
            R"~(String js = "var name = '" + Encode.forJavaScript(name) + "';";)~")},
        {cheatSheet("Cross_Site_Scripting_Prevention"), cheatSheet("Injection_Prevention")});

  b.add(117, "Improper Output Neutralization for Logs",
        "Unencoded input in a log line can forge entries (newlines), hide an attack, or exploit the log viewer "
        "(terminal escape sequences, HTML in web log viewers).",
        "Log structured events (JSON fields) so values are encoded, or strip/escape CR, LF and control "
        "characters from input before logging. Never log secrets or tokens.",
        {ex("python", R"~(logger.info("user " + name + " logged in"))~",
            R"~(logger.info("user %r logged in", name)  # repr escapes control characters)~"),
         ex("java", R"~(log.info("user " + name + " logged in");)~",
            R"~(log.info("user {} logged in", name.replaceAll("[\\r\\n]", "_"));)~")},
        {cheatSheet("Logging"), community("attacks/Log_Injection")});

  b.add(470, "Use of Externally-Controlled Input to Select Classes or Code ('Unsafe Reflection')",
        "Input names the class, method or module to load or call, letting an attacker instantiate unexpected "
        "classes (including gadgets with side effects) or call internal methods.",
        "Map input to a fixed table of allowed handlers rather than resolving names by reflection; if reflection "
        "is required, check the name against an allow-list and require the class to implement the expected "
        "interface.",
        {ex("java", R"~(Class<?> c = Class.forName(request.getParameter("handler"));
Handler h = (Handler) c.getDeclaredConstructor().newInstance();)~",
            R"~(Handler h = switch (request.getParameter("handler")) {
  case "csv" -> new CsvHandler(); case "json" -> new JsonHandler();
  default -> throw new BadRequestException();
};)~"),
         ex("python", R"~(handler = getattr(handlers, request.args["action"])
handler())~",
            R"~(ACTIONS = {"export": handlers.export, "import": handlers.import_}
ACTIONS[request.args["action"]]())~"),
         ex("javascript", R"~(api[req.query.method](req.body);)~",
            R"~(const ACTIONS = new Map([["list", api.list], ["get", api.get]]);
const action = ACTIONS.get(req.query.method);
if (!action) return res.sendStatus(404);
action(req.body);)~")},
        {cheatSheet("Input_Validation")});

  b.add(643, "Improper Neutralization of Data within XPath Expressions ('XPath Injection')",
        "Quotes and operators in input change an XPath query, letting an attacker bypass checks (`' or '1'='1`) "
        "or extract the whole XML document.",
        "Use parameterised XPath (variable resolvers such as `XPathVariableResolver`, lxml's `$var` "
        "parameters) instead of string concatenation; otherwise validate the input against a strict allow-list.",
        {ex("java", R"~(xpath.evaluate("//user[name='" + name + "']", doc);)~",
            R"~(xpath.setXPathVariableResolver(q -> "name".equals(q.getLocalPart()) ? name : null);
xpath.evaluate("//user[name=$name]", doc);)~"),
         ex("python", R"~(tree.xpath(f"//user[name='{name}']"))~", R"~(tree.xpath("//user[name=$name]", name=name))~")},
        {cheatSheet("Injection_Prevention")});

  b.add(917,
        "Improper Neutralization of Special Elements used in an Expression Language Statement "
        "('Expression Language Injection')",
        "Input evaluated as an expression language (SpEL, OGNL, JSP EL, MVEL) can call arbitrary methods: "
        "remote code execution in the application server.",
        "Never evaluate expressions built from input. Pass input as a variable of a fixed expression, and use "
        "a restricted evaluation context (`SimpleEvaluationContext` in Spring) where expressions are unavoidable.",
        {ex("java", R"~(parser.parseExpression(request.getParameter("filter")).getValue(ctx);)~",
            R"~(Expression e = parser.parseExpression("price < #limit");
EvaluationContext ctx = SimpleEvaluationContext.forReadOnlyDataBinding().build();
ctx.setVariable("limit", Double.parseDouble(request.getParameter("limit")));
e.getValue(ctx, product);)~")},
        {cheatSheet("Injection_Prevention_in_Java")});

  b.add(943, "Improper Neutralization of Special Elements in Data Query Logic",
        "Input changes the logic of a query in a non-SQL data store (MongoDB operators such as `$ne` or "
        "`$where`, Elasticsearch query strings, GraphQL), letting an attacker bypass filters or authentication "
        "and read other records.",
        "Build queries with typed values: cast input to the expected scalar type so objects like `{\"$ne\": "
        "null}` are rejected, never pass input to `$where` or server-side JavaScript, and use the driver's query "
        "builder rather than query strings.",
        {ex("javascript", R"~(User.findOne({ user: req.body.user, pass: req.body.pass });)~",
            R"~(User.findOne({ user: String(req.body.user), pass: String(req.body.pass) });
// or mongoose.set("sanitizeFilter", true))~"),
         ex("python", R"~(db.users.find_one({"user": request.json["user"]}))~",
            R"~(user = request.json["user"]
if not isinstance(user, str):
    abort(400)
db.users.find_one({"user": user}))~")},
        {cheatSheet("Injection_Prevention")});

  b.add(1236, "Improper Neutralization of Formula Elements in a CSV File",
        "A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is run as a formula when the exported CSV "
        "is opened in a spreadsheet, which can exfiltrate data or launch commands on the reader's machine.",
        "When writing CSV for spreadsheets, prefix cells that start with one of those characters with a single "
        "quote (`'`) and quote every field; treat the export as an output context like HTML.",
        {ex("python", R"~(writer.writerow([user.name, user.comment]))~", R"~(def cell(v):
    v = str(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
writer.writerow([cell(user.name), cell(user.comment)]))~")},
        {community("attacks/CSV_Injection")});

  b.add(1336, "Improper Neutralization of Special Elements Used in a Template Engine",
        "Input used as the template itself (not as a value rendered by it) is executed by the template engine; "
        "for Jinja2, Freemarker, Velocity, Twig and similar this is server-side template injection, which "
        "usually leads to remote code execution.",
        "Never build templates from input: keep templates as fixed files and pass input as context values. "
        "If users must author templates, use a logic-less or sandboxed engine (Jinja2 `SandboxedEnvironment`, "
        "Mustache).",
        {ex("python", R"~(return render_template_string("Hello " + request.args["name"]))~",
            R"~(return render_template_string("Hello {{ name }}", name=request.args["name"]))~"),
         ex("java", R"~(new Template("t", new StringReader(userTemplate), cfg).process(model, out);)~",
            R"~(cfg.getTemplate("greeting.ftl").process(Map.of("name", name), out);)~")},
        {cheatSheet("Injection_Prevention")});
}

// ---------------------------------------------------------------------------------------------
// Memory safety and C library misuse (C and C++).
// ---------------------------------------------------------------------------------------------
void memory(Builder& b) {
  const std::vector<std::string> bufferRefs = {community("vulnerabilities/Buffer_Overflow"),
                                               community("attacks/Buffer_overflow_attack")};
  const std::vector<Example> copyExamples = {
      ex("c", R"~(char name[32];
strcpy(name, input);
sprintf(msg, "hello %s", name);)~",
         R"~(char name[32];
if (strlen(input) >= sizeof name) return -1;  /* or truncate deliberately */
memcpy(name, input, strlen(input) + 1);
snprintf(msg, sizeof msg, "hello %s", name);)~"),
      ex("cpp", R"~(char name[32];
strcpy(name, input);)~",
         R"~(std::string name = input;  // owns its storage, grows as needed)~")};
  b.add(119, "Improper Restriction of Operations within the Bounds of a Memory Buffer",
        "Reading or writing outside a buffer corrupts adjacent memory or leaks it. Attackers use out-of-bounds "
        "writes to overwrite return addresses, function pointers or heap metadata and take control of the "
        "process; out-of-bounds reads disclose secrets and defeat ASLR.",
        "Carry the buffer size with the pointer and check every index and length against it before access. "
        "Prefer bounded APIs (`snprintf`, `memcpy` with a checked length, `strlcpy` where available) and, in C++, "
        "containers and views (`std::string`, `std::vector`, `std::span`, `.at()`). Build tests with "
        "AddressSanitizer and fuzz the parsers.",
        {ex("c", R"~(for (int i = 0; i <= n; i++) buf[i] = src[i];)~",
            R"~(if (n > sizeof buf) return -1;
for (size_t i = 0; i < n; i++) buf[i] = src[i];)~"),
         ex("cpp", R"~(int table[16];
return table[index];)~",
            R"~(std::array<int, 16> table{};
if (index >= table.size()) return std::nullopt;
return table[index];)~")},
        bufferRefs);
  b.add(120, "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')",
        "`strcpy`, `strcat`, `sprintf`, `gets` and unbounded `scanf(\"%s\")` copy until the input ends, not "
        "until the destination is full; input longer than the buffer overwrites the stack or heap and usually "
        "gives an attacker code execution.",
        "Check the source length against the destination size before copying, or use bounded functions "
        "(`snprintf`, `strlcpy`/`strlcat`, `fgets`, `%31s` widths) and handle truncation explicitly. In C++ use "
        "`std::string`.",
        copyExamples, bufferRefs);
  b.add(787, "Out-of-bounds Write",
        "Writing past the end (or before the start) of a buffer corrupts neighbouring data, heap metadata or "
        "return addresses; this is the most exploited memory-safety weakness and typically leads to code "
        "execution.",
        "Compute and check the destination size before every write, use bounded APIs and checked containers, "
        "and verify length arithmetic cannot overflow. Enable `-D_FORTIFY_SOURCE=3`, stack protectors and "
        "AddressSanitizer in tests.",
        copyExamples, bufferRefs);
  b.add(788, "Access of Memory Location After End of Buffer",
        "An index or pointer moves past the last element (often by one), reading or writing memory that belongs "
        "to something else; reads leak data, writes corrupt it.",
        "Loop with `i < size`, not `i <= size`; derive bounds from the buffer (`sizeof buf / sizeof buf[0]`, "
        "`std::size`) instead of repeating constants; use `std::span` or `.at()` in C++.",
        {ex("c", R"~(int v[10];
for (int i = 0; i <= 10; i++) v[i] = 0;)~",
            R"~(int v[10];
for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) v[i] = 0;)~"),
         ex("cpp", R"~(for (size_t i = 0; i <= v.size(); ++i) sum += v[i];)~", R"~(for (int x : v) sum += x;)~")},
        bufferRefs);
  b.add(786, "Access of Memory Location Before Start of Buffer",
        "A negative index or a pointer decremented past the start accesses memory before the buffer, corrupting "
        "or leaking adjacent data.",
        "Use unsigned sizes for indexes, check `index >= 0` (or `> 0` before decrementing) on every signed value, "
        "and handle the empty-buffer case before computing `len - 1`.",
        {ex("c", R"~(size_t len = strlen(s);
if (s[len - 1] == '\n') s[len - 1] = '\0';)~",
            R"~(size_t len = strlen(s);
if (len > 0 && s[len - 1] == '\n') s[len - 1] = '\0';)~")},
        bufferRefs);
  b.add(125, "Out-of-bounds Read",
        "Reading past the buffer returns whatever lies next to it: keys, passwords, pointers that defeat ASLR "
        "(Heartbleed was one), or crashes the process.",
        "Validate lengths taken from input against the actual buffer size before reading, bound string scans "
        "(`strnlen`, `memchr`), and parse with explicit remaining-length counters.",
        {ex("c", R"~(uint16_t len = read_u16(pkt);
memcpy(out, pkt + 2, len);)~",
            R"~(uint16_t len = read_u16(pkt);
if (len > pkt_len - 2 || len > sizeof out) return -1;
memcpy(out, pkt + 2, len);)~"),
         ex("cpp", R"~(char c = s[pos];)~", R"~(if (pos >= s.size()) return std::nullopt;
char c = s[pos];)~")},
        bufferRefs);
  b.add(129, "Improper Validation of Array Index",
        "An index derived from input is used without checking both bounds, so an attacker chooses which memory is "
        "read or written.",
        "Check `0 <= index < count` for every index from input (use an unsigned type and compare with the element "
        "count, not the byte size), or use a checked accessor.",
        {ex("c", R"~(int id = atoi(arg);
return handlers[id]();)~",
            R"~(unsigned long id = strtoul(arg, NULL, 10);
if (id >= sizeof handlers / sizeof handlers[0]) return -1;
return handlers[id]();)~"),
         ex("cpp", R"~(return handlers[id]();)~", R"~(if (id >= handlers.size()) return Error::BadId;
return handlers[id]();)~")},
        bufferRefs);
  b.add(170, "Improper Null Termination",
        "`strncpy`, `read` and similar do not add a terminating NUL when the data fills the buffer; later string "
        "functions then read past the end, leaking memory or overflowing the next copy.",
        "Terminate explicitly after bounded copies (`buf[sizeof buf - 1] = '\\0'`), prefer `snprintf` or "
        "`strlcpy`, which always terminate, and keep an explicit length for data that is not text.",
        {ex("c", R"~(strncpy(dst, src, sizeof dst);)~",
            R"~(snprintf(dst, sizeof dst, "%s", src);  /* always terminated */)~")},
        bufferRefs);
  b.add(131, "Incorrect Calculation of Buffer Size",
        "A buffer is allocated too small (forgetting the NUL, using `sizeof` of a pointer, mixing bytes and "
        "elements), so later correct-looking writes overflow it.",
        "Allocate `count * sizeof *ptr` with an overflow check (`calloc`, `reallocarray`), add one for the "
        "terminator of strings, and never take `sizeof` of a pointer parameter to get an array size.",
        {ex("c", R"~(char *copy = malloc(strlen(s));
strcpy(copy, s);)~",
            R"~(size_t n = strlen(s) + 1;
char *copy = malloc(n);
if (copy) memcpy(copy, s, n);)~")},
        bufferRefs);
  b.add(134, "Use of Externally-Controlled Format String",
        "When input is the format argument of `printf`-style functions, `%x`/`%s` read the stack and `%n` writes "
        "to memory: information disclosure and code execution. In other languages it can leak data or crash.",
        "Always pass a constant format string and the data as an argument (`printf(\"%s\", msg)`); compile with "
        "`-Wformat -Wformat-security` and treat them as errors.",
        {ex("c", R"~(printf(user_message);
syslog(LOG_INFO, user_message);)~",
            R"~(printf("%s", user_message);
syslog(LOG_INFO, "%s", user_message);)~"),
         ex("python", R"~(msg = request.args["tpl"].format(user=user)  # reaches user.__class__...)~",
            R"~(msg = "Hello {name}".format(name=user.name))~"),
         ex("go", R"~(fmt.Printf(userInput))~", R"~(fmt.Print(userInput))~")},
        {community("attacks/Format_string_attack")});

  const std::vector<Example> overflowExamples = {
      ex("c", R"~(size_t total = count * size;
void *p = malloc(total);)~",
         R"~(if (size != 0 && count > SIZE_MAX / size) return NULL;
void *p = malloc(count * size);  /* or calloc(count, size) */)~"),
      ex("cpp", R"~(int total = a + b;)~", R"~(int total;
if (__builtin_add_overflow(a, b, &total)) throw std::overflow_error("total");)~"),
      ex("java", R"~(int total = price * quantity;)~",
         R"~(int total = Math.multiplyExact(price, quantity);  // throws on overflow)~"),
      ex("go", R"~(n := int32(len(data)) * 4)~", R"~(if len(data) > math.MaxInt32/4 { return errTooLarge }
n := int32(len(data)) * 4)~")};
  b.add(190, "Integer Overflow or Wraparound",
        "Arithmetic that exceeds the type's range wraps around (or is undefined for signed C integers). Used for "
        "a size or index it produces a too-small allocation followed by a heap overflow; used for money or "
        "limits it breaks business logic.",
        "Check before the operation (`a > MAX - b`), use checked arithmetic (`__builtin_*_overflow`, "
        "`Math.addExact`, `checked_add`), `calloc`/`reallocarray` for element counts, and wide enough types for "
        "sizes (`size_t`).",
        overflowExamples, bufferRefs);
  b.add(191, "Integer Underflow (Wrap or Wraparound)",
        "Subtracting below the type's minimum wraps to a huge value; an unsigned `len - header` with a short "
        "input becomes a near-`SIZE_MAX` length and the following copy overflows.",
        "Check `a >= b` before computing `a - b` on unsigned values, validate lengths from input against the "
        "data actually received, and use checked arithmetic.",
        {ex("c", R"~(size_t body = len - HEADER_LEN;
memcpy(out, in + HEADER_LEN, body);)~",
            R"~(if (len < HEADER_LEN) return -1;
size_t body = len - HEADER_LEN;
if (body > sizeof out) return -1;
memcpy(out, in + HEADER_LEN, body);)~")},
        bufferRefs);
  b.add(681, "Incorrect Conversion between Numeric Types",
        "Converting to a narrower or differently signed type silently truncates or changes the sign, e.g. a "
        "64-bit length becoming a small or negative 32-bit value that passes a bounds check.",
        "Keep sizes in `size_t`/`int64`; before narrowing, check the value fits (`std::in_range`, "
        "`Math.toIntExact`, explicit range checks in Go) and reject it otherwise.",
        {ex("go", R"~(n, _ := strconv.Atoi(s)
buf := make([]byte, int32(n)))~",
            R"~(n, err := strconv.ParseInt(s, 10, 32)
if err != nil || n < 0 { return errBadSize }
buf := make([]byte, n))~"),
         ex("java", R"~(int len = (int) fileSize;)~",
            R"~(int len = Math.toIntExact(fileSize);  // throws if it does not fit)~"),
         ex("cpp", R"~(int n = static_cast<int>(v.size());)~",
            R"~(if (!std::in_range<int>(v.size())) return Error::TooLarge;
int n = static_cast<int>(v.size());)~")},
        {});
  b.add(242, "Use of Inherently Dangerous Function",
        "Some functions cannot be used safely at all: `gets` cannot know the buffer size, so any long input line "
        "overflows it (it was removed from C11 for that reason).",
        "Replace `gets` with `fgets` (and strip the newline), and other inherently unsafe calls with their "
        "bounded equivalents.",
        {ex("c", R"~(char line[128];
gets(line);)~",
            R"~(char line[128];
if (fgets(line, sizeof line, stdin)) line[strcspn(line, "\n")] = '\0';)~")},
        bufferRefs);
  b.add(676, "Use of Potentially Dangerous Function",
        "Functions such as `strcpy`, `strcat`, `sprintf`, `scanf(\"%s\")`, `strtok`, `atoi` or `mktemp` are "
        "easy to misuse: no bounds, no error reporting, or hidden shared state. Each call is a place where a "
        "later change can introduce an overflow or a race.",
        "Use the bounded or reentrant alternative (`snprintf`, `strlcpy`, `strtol` with error checks, "
        "`strtok_r`, `mkstemp`), or a safer abstraction (`std::string`, `std::from_chars`). Where a call is "
        "proven safe, record why next to it.",
        copyExamples, bufferRefs);
  b.add(252, "Unchecked Return Value",
        "Ignoring the result of a call that can fail (`setuid`, `read`, `malloc`, `chdir`, `fclose`, `Close()`) "
        "lets the program continue in a state it did not intend: running with root privileges, using partial "
        "data, or writing to the wrong directory.",
        "Check every return value that signals failure and handle it (stop, retry, report). Mark your own "
        "functions `[[nodiscard]]` / `__attribute__((warn_unused_result))`; in Go never assign errors to `_`.",
        {ex("c", R"~(setuid(uid);
execv(path, argv);)~",
            R"~(if (setuid(uid) != 0) { perror("setuid"); exit(1); }
execv(path, argv);)~"),
         ex("go", R"~(f, _ := os.Create(path)
f.Write(data))~",
            R"~(f, err := os.Create(path)
if err != nil { return err }
if _, err := f.Write(data); err != nil { f.Close(); return err }
return f.Close())~"),
         ex("bash", R"~(cd "$dir"
rm -rf ./*)~",
            R"~(cd "$dir" || exit 1
rm -rf ./*)~")},
        {});
  b.add(369, "Divide By Zero",
        "Dividing by a zero that comes from input or an empty collection crashes the process (SIGFPE in C, an "
        "exception elsewhere): a cheap denial of service.",
        "Check the divisor before dividing, and decide what an empty input means (skip, default, error).",
        {ex("c", R"~(avg = total / count;)~", R"~(if (count == 0) return 0;
avg = total / count;)~"),
         ex("python", R"~(avg = total / len(items))~", R"~(avg = total / len(items) if items else 0.0)~")},
        {});
  b.add(401, "Missing Release of Memory after Effective Lifetime",
        "Memory that is allocated but never freed accumulates; a request-triggered leak lets an attacker exhaust "
        "memory and crash or slow the service.",
        "Free on every path, including error paths (one cleanup label in C). In C++ own memory with "
        "`std::unique_ptr`, containers or RAII types so release is automatic.",
        {ex("c", R"~(char *buf = malloc(n);
if (parse(buf) < 0) return -1;
free(buf);)~",
            R"~(char *buf = malloc(n);
int rc = buf ? parse(buf) : -1;
free(buf);
return rc;)~"),
         ex("cpp", R"~(Node* n = new Node();
if (!n->load(path)) return false;)~",
            R"~(auto n = std::make_unique<Node>();
if (!n->load(path)) return false;  // freed automatically)~")},
        {});
  b.add(415, "Double Free",
        "Freeing the same pointer twice corrupts the allocator's metadata; attackers can turn that into arbitrary "
        "writes and code execution.",
        "Give each allocation one owner; set pointers to NULL after `free`; in C++ use `std::unique_ptr` and "
        "never `delete` what a smart pointer owns.",
        {ex("c", R"~(free(p);
if (error) free(p);)~",
            R"~(free(p);
p = NULL;  /* free(NULL) is a no-op */
if (error) free(p);)~"),
         ex("cpp", R"~(Widget* w = new Widget;
holder.reset(w);
delete w;)~",
            R"~(auto w = std::make_unique<Widget>();
holder = std::move(w);  // one owner)~")},
        {community("vulnerabilities/Doubly_freeing_memory")});
  b.add(416, "Use After Free",
        "Using memory after it was freed reads or writes whatever object now occupies it; attackers arrange for a "
        "controlled object to be there and hijack virtual calls or function pointers. A leading cause of browser "
        "and kernel exploits.",
        "Make lifetimes explicit: one owner per object (`std::unique_ptr`), no raw pointers or iterators kept "
        "across calls that can free or reallocate (`vector::push_back`, `erase`), NULL pointers after free in C. "
        "Test with AddressSanitizer.",
        {ex("c", R"~(free(session);
log_info("closed %s", session->id);)~",
            R"~(log_info("closed %s", session->id);
free(session);
session = NULL;)~"),
         ex("cpp", R"~(auto& first = items[0];
items.push_back(x);  // may reallocate
use(first);)~",
            R"~(items.push_back(x);
use(items[0]);  // take the reference after the container changed)~")},
        {community("vulnerabilities/Using_freed_memory")});
  b.add(457, "Use of Uninitialized Variable",
        "An uninitialised local holds whatever the stack contained, possibly attacker-influenced or sensitive "
        "data, so behaviour differs between runs and data can leak.",
        "Initialise every variable at its declaration; zero structures with `= {0}` / `{}`; compile with "
        "`-Wuninitialized -Wmaybe-uninitialized` (or `-ftrivial-auto-var-init=zero`) and test with "
        "MemorySanitizer or Valgrind.",
        {ex("c", R"~(int status;
if (ok) status = 1;
return status;)~",
            R"~(int status = 0;
if (ok) status = 1;
return status;)~"),
         ex("cpp", R"~(Config cfg;
if (path) cfg = load(path);
use(cfg.timeout);)~",
            R"~(Config cfg{};  // value-initialised
if (path) cfg = load(path);
use(cfg.timeout);)~")},
        {});
  const std::vector<Example> nullExamples = {
      ex("c", R"~(struct user *u = find_user(id);
printf("%s\n", u->name);)~",
         R"~(struct user *u = find_user(id);
if (u == NULL) return -ENOENT;
printf("%s\n", u->name);)~"),
      ex("cpp", R"~(auto* w = dynamic_cast<Button*>(widget);
w->click();)~",
         R"~(if (auto* w = dynamic_cast<Button*>(widget)) w->click();)~"),
      ex("java", R"~(String name = request.getParameter("name").trim();)~",
         R"~(String name = Optional.ofNullable(request.getParameter("name")).map(String::trim).orElse("");)~"),
      ex("go", R"~(user, _ := store.Find(id)
fmt.Println(user.Name))~",
         R"~(user, err := store.Find(id)
if err != nil || user == nil { return ErrNotFound }
fmt.Println(user.Name))~")};
  b.add(476, "NULL Pointer Dereference",
        "Dereferencing NULL crashes the process (a denial of service an attacker can trigger with input that "
        "makes a lookup fail); in kernels and some embedded targets it can be escalated further.",
        "Check pointers that can be NULL (lookups, allocations, casts, optional fields) before use and handle the "
        "absent case; make non-null contracts explicit (references, `gsl::not_null`, `Optional`).",
        nullExamples, {community("vulnerabilities/Null_Dereference")});
  b.add(690, "Unchecked Return Value to NULL Pointer Dereference",
        "A function that returns NULL on failure (`malloc`, `getenv`, `strchr`, `fopen`) is used without a check, "
        "so a failure or crafted input crashes the process.",
        "Check the result of every call documented to return NULL before using it, and propagate the error.",
        {ex("c", R"~(char *home = getenv("HOME");
snprintf(path, sizeof path, "%s/.cfg", home);)~",
            R"~(const char *home = getenv("HOME");
if (home == NULL) return -1;
snprintf(path, sizeof path, "%s/.cfg", home);)~"),
         ex("cpp", R"~(FILE* f = fopen(path, "r");
fgets(line, sizeof line, f);)~",
            R"~(std::unique_ptr<FILE, int (*)(FILE*)> f(fopen(path, "r"), fclose);
if (!f) return Error::Open;
fgets(line, sizeof line, f.get());)~")},
        {community("vulnerabilities/Null_Dereference")});
  b.add(479, "Signal Handler Use of a Non-reentrant Function",
        "A signal can arrive while the program is inside `malloc`, `printf` or another non-async-signal-safe "
        "function; calling such a function again from the handler corrupts its internal state (heap corruption, "
        "deadlocks), which has been exploited remotely (e.g. OpenSSH's regreSSHion).",
        "Do only async-signal-safe work in handlers: set a `volatile sig_atomic_t` flag, or `write()` to a pipe, "
        "and handle the event in the main loop (or use `signalfd`).",
        {ex("c", R"~(void on_term(int sig) {
  syslog(LOG_INFO, "terminating");
  free(state);
  exit(0);
})~",
            R"~(static volatile sig_atomic_t stop;
void on_term(int sig) { (void)sig; stop = 1; }
/* main loop: while (!stop) { ... } then clean up normally */)~")},
        {});
  b.add(562, "Return of Stack Variable Address",
        "A pointer to a local variable outlives the function; the memory is reused by later calls, so reads return "
        "garbage and writes corrupt the stack.",
        "Return by value, let the caller pass the buffer, or allocate with a clear owner (`std::string`, "
        "`std::unique_ptr`, `malloc` with documented `free`).",
        {ex("c", R"~(char *greeting(const char *n) {
  char buf[64];
  snprintf(buf, sizeof buf, "hi %s", n);
  return buf;
})~",
            R"~(int greeting(char *buf, size_t len, const char *n) {
  return snprintf(buf, len, "hi %s", n);
})~"),
         ex("cpp", R"~(const std::string& name() { std::string s = load(); return s; })~",
            R"~(std::string name() { return load(); })~")},
        {});
  b.add(590, "Free of Memory not on the Heap",
        "Passing a stack, static or offset pointer to `free`/`delete` corrupts the allocator and can be turned "
        "into arbitrary writes.",
        "Only free exactly the pointer returned by the matching allocator; keep the original pointer if you "
        "advance a copy; prefer owning types in C++.",
        {ex("c", R"~(char *p = malloc(n);
p += header;
free(p);)~",
            R"~(char *base = malloc(n);
char *p = base + header;
free(base);)~")},
        {});
  b.add(762, "Mismatched Memory Management Routines",
        "Releasing memory with a different family than allocated it (`new`/`free`, `malloc`/`delete`, `new[]`/"
        "`delete`) is undefined behaviour: heap corruption or skipped destructors.",
        "Pair allocators and deallocators exactly; in C++ use `std::make_unique<T[]>` / containers, and give "
        "`unique_ptr` a custom deleter for C-allocated memory.",
        {ex("cpp", R"~(int* a = new int[n];
delete a;
char* s = strdup(name);
delete s;)~",
            R"~(std::vector<int> a(n);
std::unique_ptr<char, decltype(&free)> s(strdup(name), &free);)~")},
        {});
  b.add(775, "Missing Release of File Descriptor or Handle after Effective Lifetime",
        "Files, sockets or handles that are never closed on some path accumulate until the process hits its "
        "limit and fails to accept connections or open files: a denial of service.",
        "Close on every path, including errors: one cleanup path in C, `defer f.Close()` in Go, "
        "try-with-resources in Java, `with` in Python, RAII in C++.",
        {ex("c", R"~(FILE *f = fopen(path, "r");
if (!valid(f)) return -1;
fclose(f);)~",
            R"~(FILE *f = fopen(path, "r");
if (!f) return -1;
int rc = valid(f) ? 0 : -1;
fclose(f);
return rc;)~"),
         ex("java", R"~(BufferedReader r = new BufferedReader(new FileReader(path));
return r.readLine();)~",
            R"~(try (BufferedReader r = Files.newBufferedReader(Path.of(path))) {
  return r.readLine();
})~"),
         ex("python", R"~(data = open(path).read())~", R"~(with open(path) as f:
    data = f.read())~"),
         ex("go", R"~(f, err := os.Open(path)
if err != nil { return err }
return parse(f))~",
            R"~(f, err := os.Open(path)
if err != nil { return err }
defer f.Close()
return parse(f))~")},
        {});
  b.add(789, "Memory Allocation with Excessive Size Value",
        "An allocation size taken from input lets an attacker request gigabytes, exhausting memory, or (after "
        "arithmetic overflow) get a tiny buffer that is then overflowed.",
        "Validate sizes from input against a sane maximum before allocating, check multiplication for overflow, "
        "and stream large inputs instead of allocating them whole.",
        {ex("c", R"~(uint32_t n = read_u32(in);
char *buf = malloc(n);)~",
            R"~(uint32_t n = read_u32(in);
if (n > MAX_MESSAGE) return -1;
char *buf = malloc(n);)~"),
         ex("go", R"~(buf := make([]byte, hdr.Length))~", R"~(if hdr.Length > maxMessage { return errTooLarge }
buf := make([]byte, hdr.Length))~")},
        {cheatSheet("Denial_of_Service")});
  b.add(1341, "Multiple Releases of Same Resource or Handle",
        "Closing a file, socket or descriptor twice can close an unrelated descriptor that reused the number in "
        "between (in another thread), so data goes to or comes from the wrong file or connection.",
        "Give each handle one owner, reset it after closing (`fd = -1`, `f = NULL`), and use RAII/`defer` so "
        "release happens exactly once.",
        {ex("c", R"~(fclose(f);
if (err) { fclose(f); return -1; })~",
            R"~(fclose(f);
f = NULL;
if (err) return -1;)~")},
        {});
  b.add(685, "Function Call With Incorrect Number of Arguments",
        "With variadic functions such as `printf`, a missing argument makes the function read an undefined "
        "value from registers or the stack: garbage output, crashes or information disclosure.",
        "Supply one argument per conversion specifier; build with `-Wformat` (enabled by `-Wall`) as an error "
        "so the compiler checks format calls, and annotate your own wrappers with `__attribute__((format))`.",
        {ex("c", R"~(printf("%s: %d\n", name);)~", R"~(printf("%s: %d\n", name, count);)~")}, {});
  b.add(686, "Function Call With Incorrect Argument Type",
        "Passing an argument of the wrong type to a variadic function (an `int` for `%s`, a `size_t` for `%d`) "
        "makes it misinterpret memory: crashes, truncated values or reads of arbitrary addresses.",
        "Match conversion specifiers to types (`%zu` for `size_t`, `%lld` for `long long`, `PRIu64` for "
        "`uint64_t`) and compile with `-Wformat` as an error; in C++ prefer `std::format`, which is type-checked.",
        {ex("c", R"~(printf("%d bytes\n", strlen(s));)~", R"~(printf("%zu bytes\n", strlen(s));)~"),
         ex("cpp", R"~(printf("%d bytes\n", s.size());)~", R"~(std::cout << std::format("{} bytes\n", s.size());)~")},
        {});
  b.add(687, "Function Call With Incorrectly Specified Argument Value",
        "An argument with a wrong value for the API's contract (e.g. `open` with `O_CREAT` but no mode, a "
        "negative size, a NULL where not allowed) causes undefined behaviour or insecure defaults such as files "
        "created with arbitrary permissions.",
        "Read the API's contract and pass every required argument explicitly: with `O_CREAT` always give a "
        "mode, check sizes before the call, and let the compiler's attributes (`nonnull`) catch misuse.",
        {ex("c", R"~(int fd = open(path, O_WRONLY | O_CREAT);)~",
            R"~(int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);)~")},
        {});
  b.add(703, "Improper Check or Handling of Exceptional Conditions",
        "Errors that are ignored or swallowed (empty `catch`, `except: pass`, `assert` used for checks that are "
        "stripped in optimised builds) let the program continue in an unexpected state, skipping security "
        "checks or corrupting data.",
        "Handle specific exceptions and act on them (fail closed for security decisions), log unexpected ones, "
        "and never rely on `assert` for input or authorisation checks since `python -O` and `NDEBUG` remove it.",
        {ex("python", R"~(assert user.is_admin, "admin only"
try:
    charge(card)
except Exception:
    pass)~",
            R"~(if not user.is_admin:
    raise PermissionError("admin only")
try:
    charge(card)
except PaymentError:
    log.exception("charge failed")
    raise)~"),
         ex("java", R"~(try { verify(token); } catch (Exception e) { })~",
            R"~(try { verify(token); }
catch (InvalidTokenException e) { throw new UnauthorizedException(e); })~")},
        {cheatSheet("Error_Handling")});
}

// ---------------------------------------------------------------------------------------------
// Secrets, cryptography and transport security.
// ---------------------------------------------------------------------------------------------
void crypto(Builder& b) {
  const std::vector<std::string> secretRefs = {cheatSheet("Secrets_Management")};
  const std::string secretWhy =
      "A secret in source code or configuration is readable by everyone with access to the repository, its "
      "forks, CI logs, build artifacts and images, and stays in version history after it is deleted. Leaked "
      "credentials are harvested automatically within minutes of a push to a public repository.";
  const std::string secretFix =
      "Revoke and rotate the exposed secret first (removing it from the code does not un-leak it). Then load "
      "secrets at run time from the environment or a secret manager (Vault, AWS Secrets Manager, Azure Key "
      "Vault, GCP Secret Manager, Kubernetes Secrets mounted from an external store), keep them out of logs, "
      "and add a pre-commit secret scan. Prefer short-lived credentials (workload identity, OIDC) over static "
      "keys.";
  const std::vector<Example> secretExamples = {
      ex("python", R"~(DB_PASSWORD = "s3cr3t-prod-pw"
client = boto3.client("s3", aws_access_key_id="AKIA...", aws_secret_access_key="..."))~",
         R"~(DB_PASSWORD = os.environ["DB_PASSWORD"]
client = boto3.client("s3")  # credentials from the role / environment)~"),
      ex("javascript", R"~(const stripe = require("stripe")("sk_live_51H...");)~",
         R"~(const stripe = require("stripe")(process.env.STRIPE_SECRET_KEY);)~"),
      ex("typescript", R"~(const token = "ghp_xxxxxxxxxxxxxxxxxxxx";)~", R"~(const token = process.env.GITHUB_TOKEN;
if (!token) throw new Error("GITHUB_TOKEN is not set");)~"),
      ex("java", R"~(String password = "s3cr3t-prod-pw";)~",
         R"~(String password = System.getenv("DB_PASSWORD");  // or a secret-manager client)~"),
      ex("go", R"~(const apiKey = "sk_live_51H...")~", R"~(apiKey := os.Getenv("API_KEY")
if apiKey == "" { log.Fatal("API_KEY is not set") })~"),
      ex("hcl", R"~(provider "aws" {
  access_key = "AKIA..."
  secret_key = "..."
}
resource "aws_db_instance" "db" {
  password = "s3cr3t-prod-pw"
})~",
         R"~(provider "aws" {}  # credentials from the environment or an assumed role
resource "aws_db_instance" "db" {
  manage_master_user_password = true  # stored in Secrets Manager
})~"),
      ex("yaml", R"~(env:
  - name: DB_PASSWORD
    value: s3cr3t-prod-pw)~",
         R"~(env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: db-credentials
        key: password)~"),
      ex("bash", R"~(export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxx)~",
         R"~(: "${GITHUB_TOKEN:?set GITHUB_TOKEN in the CI secret store}")~")};
  b.add(798, "Use of Hard-coded Credentials", secretWhy, secretFix, secretExamples, secretRefs);
  b.add(259, "Use of Hard-coded Password",
        "A password written in the code is the same in every deployment and known to everyone who can read the "
        "code, history or binaries; it cannot be rotated without a release.",
        secretFix, secretExamples, {cheatSheet("Secrets_Management"), cheatSheet("Password_Storage")});
  b.add(
      321, "Use of Hard-coded Cryptographic Key",
      "A key in the code lets anyone who has the code decrypt the data or forge the signatures (session "
      "cookies, JWTs) it protects, in every deployment at once.",
      "Generate keys per deployment, store them in a key management service or secret manager, load them at "
      "run time, and plan rotation (key ids). Rotate any key that was committed.",
      {ex("python", R"~(app.secret_key = "dev-secret-key")~", R"~(app.secret_key = os.environ["FLASK_SECRET_KEY"])~"),
       ex("javascript", R"~(jwt.sign(payload, "my-jwt-secret");)~",
          R"~(jwt.sign(payload, process.env.JWT_SECRET, { algorithm: "HS256", expiresIn: "15m" });)~"),
       ex("java", R"~(SecretKeySpec key = new SecretKeySpec("0123456789abcdef".getBytes(), "AES");)~",
          R"~(SecretKey key = keyStore.getKey("data-key", password);  // or a KMS data key)~"),
       ex("go", R"~(var signingKey = []byte("my-jwt-secret"))~", R"~(signingKey := []byte(os.Getenv("JWT_SECRET")))~")},
      {cheatSheet("Key_Management"), cheatSheet("Secrets_Management")});
  b.add(522, "Insufficiently Protected Credentials",
        "Credentials are stored or sent in a recoverable form (plain text, reversible encoding, weak hash, over "
        "unencrypted channels, in URLs or logs), so anyone who reads the storage or traffic can use them.",
        "Store passwords only as slow salted hashes (Argon2id, scrypt, bcrypt), keep other credentials in a "
        "secret manager, send them only over TLS in request bodies or headers, and never log them.",
        {ex("python", R"~(db.save(user, password=base64.b64encode(pw)))~", R"~(from argon2 import PasswordHasher
db.save(user, password_hash=PasswordHasher().hash(pw)))~"),
         ex("javascript", R"~(fetch(`http://api.example.com/login?user=${u}&pass=${p}`);)~",
            R"~(fetch("https://api.example.com/login", { method: "POST", body: JSON.stringify({ u, p }) });)~")},
        {cheatSheet("Password_Storage"), cheatSheet("Secrets_Management")});
  b.add(916, "Use of Password Hash With Insufficient Computational Effort",
        "Fast hashes (MD5, SHA-1, SHA-256, even salted) can be computed billions of times per second on GPUs, so "
        "a leaked password table is cracked quickly.",
        "Hash passwords with a slow, salted, memory-hard function: Argon2id, scrypt or bcrypt (PBKDF2 with a high "
        "iteration count where FIPS is required), with the library's current recommended parameters; rehash "
        "on login when parameters change.",
        {ex("python", R"~(hashlib.sha256(salt + password.encode()).hexdigest())~", R"~(from argon2 import PasswordHasher
ph = PasswordHasher()
stored = ph.hash(password)
ph.verify(stored, attempt)  # raises on mismatch)~"),
         ex("javascript", R"~(crypto.createHash("sha256").update(password).digest("hex");)~",
            R"~(const hash = await bcrypt.hash(password, 12);
const ok = await bcrypt.compare(attempt, hash);)~"),
         ex("java", R"~(MessageDigest.getInstance("SHA-256").digest(password.getBytes());)~",
            R"~(String hash = new BCryptPasswordEncoder(12).encode(password);)~"),
         ex("go", R"~(sum := sha256.Sum256([]byte(password)))~",
            R"~(hash, err := bcrypt.GenerateFromPassword([]byte(password), 12))~")},
        {cheatSheet("Password_Storage")});

  const std::vector<std::string> cryptoRefs = {cheatSheet("Cryptographic_Storage")};
  const std::vector<Example> weakCipherExamples = {
      ex("python", R"~(cipher = AES.new(key, AES.MODE_ECB)
digest = hashlib.md5(data).hexdigest())~",
         R"~(from cryptography.hazmat.primitives.ciphers.aead import AESGCM
nonce = os.urandom(12)
ct = AESGCM(key).encrypt(nonce, data, None)
digest = hashlib.sha256(data).hexdigest())~"),
      ex("javascript", R"~(crypto.createCipheriv("des-ede3-cbc", key, iv);)~",
         R"~(const iv = crypto.randomBytes(12);
const c = crypto.createCipheriv("aes-256-gcm", key, iv);)~"),
      ex("java", R"~(Cipher c = Cipher.getInstance("DES/ECB/PKCS5Padding");)~",
         R"~(Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));)~"),
      ex("go", R"~(block, _ := des.NewCipher(key)
h := md5.Sum(data))~",
         R"~(block, _ := aes.NewCipher(key)  // 32-byte key
aead, _ := cipher.NewGCM(block)
h := sha256.Sum256(data))~"),
      ex("c", R"~(EVP_EncryptInit_ex(ctx, EVP_des_ecb(), NULL, key, NULL);)~",
         R"~(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv);)~")};
  b.add(327, "Use of a Broken or Risky Cryptographic Algorithm",
        "Broken algorithms (DES, 3DES, RC4, MD5 and SHA-1 for signatures, ECB mode, RSA without OAEP/PSS padding) "
        "let attackers decrypt, forge or tamper with data the application believes is protected.",
        "Use current, authenticated primitives through a high-level library: AES-GCM or ChaCha20-Poly1305 for "
        "encryption, SHA-256 or better for hashing, Ed25519/ECDSA P-256 or RSA-PSS for signatures, Argon2id or "
        "bcrypt for passwords. Do not design your own construction.",
        weakCipherExamples, cryptoRefs);
  b.add(328, "Use of Weak Hash",
        "MD5 and SHA-1 collisions can be produced cheaply, so signatures, integrity checks or identifiers built "
        "on them can be forged; used for passwords, any fast hash is cracked quickly.",
        "Use SHA-256/SHA-3/BLAKE2 for integrity and identifiers, HMAC-SHA-256 for keyed integrity, and a password "
        "hash (Argon2id, bcrypt, scrypt) for passwords. If MD5/SHA-1 is needed for a non-security purpose (a "
        "cache key), say so (`usedforsecurity=False` in Python).",
        {ex("python", R"~(token = hashlib.md5(data).hexdigest())~", R"~(token = hashlib.sha256(data).hexdigest()
etag = hashlib.md5(body, usedforsecurity=False).hexdigest()  # not security-relevant)~"),
         ex("javascript", R"~(crypto.createHash("sha1").update(data).digest("hex");)~",
            R"~(crypto.createHash("sha256").update(data).digest("hex");)~"),
         ex("java", R"~(MessageDigest.getInstance("MD5");)~", R"~(MessageDigest.getInstance("SHA-256");)~"),
         ex("go", R"~(sum := sha1.Sum(data))~", R"~(sum := sha256.Sum256(data))~")},
        cryptoRefs);
  b.add(326, "Inadequate Encryption Strength",
        "Keys that are too short (RSA below 2048 bits, symmetric keys below 128 bits, small DH groups) can be "
        "broken with available computing power, exposing everything they protect.",
        "Use at least RSA-3072 (2048 as a minimum), ECC P-256 or X25519/Ed25519, and 128-bit (better 256-bit) "
        "symmetric keys; generate keys with the library's key generator.",
        {ex("python", R"~(key = rsa.generate_private_key(public_exponent=65537, key_size=1024))~",
            R"~(key = rsa.generate_private_key(public_exponent=65537, key_size=3072))~"),
         ex("java", R"~(kpg.initialize(1024);)~", R"~(kpg.initialize(3072);)~"),
         ex("go", R"~(key, _ := rsa.GenerateKey(rand.Reader, 1024))~",
            R"~(key, err := rsa.GenerateKey(rand.Reader, 3072))~"),
         ex("hcl", R"~(resource "tls_private_key" "k" {
  algorithm = "RSA"
  rsa_bits  = 1024
})~",
            R"~(resource "tls_private_key" "k" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
})~")},
        {cheatSheet("Cryptographic_Storage"), cheatSheet("Key_Management")});
  b.add(329, "Generation of Predictable IV with CBC Mode",
        "A constant or predictable IV in CBC mode leaks whether plaintexts share a prefix and enables chosen-"
        "plaintext attacks (as in BEAST).",
        "Generate a fresh random IV for every message with a CSPRNG and send it with the ciphertext; better, "
        "switch to an AEAD mode (AES-GCM) with unique nonces.",
        {ex("python", R"~(cipher = AES.new(key, AES.MODE_CBC, iv=b"\x00" * 16))~", R"~(nonce = os.urandom(12)
ct = AESGCM(key).encrypt(nonce, data, None))~"),
         ex("java", R"~(new IvParameterSpec(new byte[16]))~", R"~(byte[] nonce = new byte[12];
new SecureRandom().nextBytes(nonce);
new GCMParameterSpec(128, nonce))~")},
        cryptoRefs);
  b.add(1204, "Generation of Weak Initialization Vector (IV)",
        "Reused or predictable IVs/nonces break the confidentiality of most modes; with AES-GCM a repeated nonce "
        "also lets an attacker forge messages.",
        "Use a CSPRNG for every IV/nonce (or a counter that can never repeat for one key) and never derive it "
        "from the key or a constant.",
        {ex("javascript", R"~(const iv = Buffer.alloc(16, 0);)~",
            R"~(const iv = crypto.randomBytes(12);  // per message, stored with the ciphertext)~"),
         ex("go", R"~(nonce := make([]byte, aead.NonceSize()))~", R"~(nonce := make([]byte, aead.NonceSize())
if _, err := rand.Read(nonce); err != nil { return err })~")},
        cryptoRefs);
  const std::vector<Example> randomExamples = {
      ex("python", R"~(token = "".join(random.choice(ALPHABET) for _ in range(32)))~", R"~(import secrets
token = secrets.token_urlsafe(32))~"),
      ex("javascript", R"~(const token = Math.random().toString(36).slice(2);)~",
         R"~(const token = crypto.randomBytes(32).toString("base64url");)~"),
      ex("typescript", R"~(const id = Math.random().toString(36).slice(2);)~", R"~(const id = crypto.randomUUID();)~"),
      ex("java", R"~(String token = Long.toHexString(new Random().nextLong());)~", R"~(byte[] b = new byte[32];
new SecureRandom().nextBytes(b);
String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);)~"),
      ex("go", R"~(import "math/rand"
token := rand.Int63())~",
         R"~(import "crypto/rand"
b := make([]byte, 32)
if _, err := rand.Read(b); err != nil { return err }
token := base64.RawURLEncoding.EncodeToString(b))~"),
      ex("c", R"~(srand(time(NULL));
int token = rand();)~",
         R"~(unsigned char token[32];
if (getrandom(token, sizeof token, 0) != sizeof token) return -1;)~"),
      ex("cpp", R"~(std::mt19937 gen(std::time(nullptr));)~",
         R"~(// std::random_device is not guaranteed to be a CSPRNG; use the OS API.
std::array<unsigned char, 32> token{};
if (getrandom(token.data(), token.size(), 0) != static_cast<ssize_t>(token.size())) throw std::runtime_error("rng");)~")};
  b.add(330, "Use of Insufficiently Random Values",
        "Tokens, session ids, password-reset codes, nonces or keys generated from a predictable source can be "
        "guessed or reproduced by an attacker who sees a few outputs or knows the seed (often the time).",
        "Use the platform CSPRNG for every security-relevant value: `secrets` (Python), `crypto.randomBytes` / "
        "`crypto.randomUUID` (Node), `SecureRandom` (Java), `crypto/rand` (Go), `getrandom`/`arc4random_buf` "
        "(C), with at least 128 bits of entropy.",
        randomExamples, {cheatSheet("Cryptographic_Storage"), cheatSheet("Session_Management")});
  b.add(338, "Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)",
        "General-purpose generators (`Math.random`, `random`, `java.util.Random`, `math/rand`, `rand()`, "
        "Mersenne Twister) are designed for statistics, not secrecy: their state can be recovered from a few "
        "outputs, so every future token is predictable.",
        "Use the CSPRNG of the platform for anything an attacker must not guess; keep the fast PRNG only for "
        "simulations, tests and shuffling without security impact.",
        randomExamples, {cheatSheet("Cryptographic_Storage")});
  b.add(347, "Improper Verification of Cryptographic Signature",
        "Accepting data whose signature was not checked, or checked with an attacker-chosen algorithm (JWT "
        "`alg: none`, HS/RS confusion), lets an attacker forge tokens, updates or messages.",
        "Always verify before use, with the algorithm and key fixed on the server side: pass an explicit list of "
        "allowed algorithms to JWT libraries, never call decode-without-verify on trusted paths, and verify "
        "package or update signatures against pinned keys.",
        {ex("python", R"~(claims = jwt.decode(token, options={"verify_signature": False}))~",
            R"~(claims = jwt.decode(token, key, algorithms=["RS256"], audience="my-api"))~"),
         ex("javascript", R"~(const claims = jwt.decode(token);)~",
            R"~(const claims = jwt.verify(token, publicKey, { algorithms: ["RS256"], audience: "my-api" });)~"),
         ex("java", R"~(Jwt jwt = Jwts.parser().parse(token);  // accepts unsigned tokens)~",
            R"~(Jws<Claims> jws = Jwts.parser().verifyWith(publicKey).build().parseSignedClaims(token);)~"),
         ex("go", R"~(token, _, _ := new(jwt.Parser).ParseUnverified(s, &claims))~",
            R"~(token, err := jwt.ParseWithClaims(s, &claims, keyFunc, jwt.WithValidMethods([]string{"RS256"})))~")},
        {cheatSheet("JSON_Web_Token_for_Java")});
  b.add(345, "Insufficient Verification of Data Authenticity",
        "Data is trusted because of where it seems to come from (a header, a webhook body, a cookie, a "
        "downloaded file) without proof, so an attacker can supply forged data.",
        "Authenticate data cryptographically: verify webhook HMAC signatures with a constant-time compare, sign "
        "and verify cookies or tokens, and check checksums or signatures of downloads against values obtained "
        "over a trusted channel.",
        {ex("python", R"~(event = json.loads(request.data)  # webhook accepted as is)~",
            R"~(sig = hmac.new(SECRET, request.data, hashlib.sha256).hexdigest()
if not hmac.compare_digest(sig, request.headers.get("X-Signature", "")):
    abort(401)
event = json.loads(request.data))~")},
        {});
  b.add(208, "Observable Timing Discrepancy",
        "Comparing secrets with `==` stops at the first differing byte, so response times reveal how much of a "
        "guessed token, MAC or password is right; an attacker recovers it byte by byte.",
        "Compare secrets with a constant-time function (`hmac.compare_digest`, `crypto.timingSafeEqual`, "
        "`MessageDigest.isEqual`, `subtle.ConstantTimeCompare`, `CRYPTO_memcmp`) and compare hashes rather than "
        "raw secrets of different lengths.",
        {ex("python", R"~(if request.headers["X-Token"] == API_TOKEN:)~",
            R"~(if hmac.compare_digest(request.headers.get("X-Token", ""), API_TOKEN):)~"),
         ex("javascript", R"~(if (req.get("x-token") === API_TOKEN) {)~",
            R"~(const a = Buffer.from(req.get("x-token") ?? ""), b = Buffer.from(API_TOKEN);
if (a.length === b.length && crypto.timingSafeEqual(a, b)) {)~"),
         ex("java", R"~(if (token.equals(expected)) {)~",
            R"~(if (MessageDigest.isEqual(token.getBytes(UTF_8), expected.getBytes(UTF_8))) {)~"),
         ex("go", R"~(if token == expected {)~",
            R"~(if subtle.ConstantTimeCompare([]byte(token), []byte(expected)) == 1 {)~")},
        {});

  const std::vector<std::string> tlsRefs = {cheatSheet("Transport_Layer_Security"), cheatSheet("Pinning")};
  const std::string certFix =
      "Keep certificate and host-name verification on (the default of every current library). For private CAs "
      "configure the CA bundle explicitly instead of disabling checks; for tests use a test CA rather than a "
      "flag that may reach production.";
  const std::vector<Example> certExamples = {
      ex("python", R"~(requests.get(url, verify=False))~",
         R"~(requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")  # or the default True)~"),
      ex("javascript", R"~(https.request({ host, rejectUnauthorized: false });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";)~",
         R"~(https.request({ host, ca: fs.readFileSync("internal-ca.pem") });)~"),
      ex("java", R"~(TrustManager[] trustAll = { new X509TrustManager() { /* accepts everything */ } };
HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true);)~",
         R"~(// Keep the default TrustManager and HostnameVerifier; add a private CA to a trust store:
KeyStore ts = KeyStore.getInstance("PKCS12");
ts.load(Files.newInputStream(trustStore), password);
TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
tmf.init(ts);)~"),
      ex("go", R"~(tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}})~",
         R"~(pool := x509.NewCertPool()
pool.AppendCertsFromPEM(caPEM)
tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})~"),
      ex("c", R"~(SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);)~",
         R"~(SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
SSL_CTX_set_default_verify_paths(ctx);
SSL_set1_host(ssl, hostname);)~"),
      ex("bash", R"~(curl -k https://internal.example/api)~",
         R"~(curl --cacert internal-ca.pem https://internal.example/api)~")};
  b.add(295, "Improper Certificate Validation",
        "Without certificate validation, TLS still encrypts but no longer authenticates the server: anyone on "
        "the network path (public Wi-Fi, a compromised router, a proxy) can intercept and modify the traffic, "
        "including credentials and tokens.",
        certFix, certExamples, tlsRefs);
  b.add(297, "Improper Validation of Certificate with Host Mismatch",
        "Accepting a valid certificate issued for a different host lets anyone with any certificate from a "
        "trusted CA (easy to obtain for their own domain) impersonate the server.",
        certFix, certExamples, tlsRefs);
  b.add(300, "Channel Accessible by Non-Endpoint",
        "A channel that does not authenticate its endpoints (plain HTTP, TLS without verification, unauthenticated "
        "key exchange) can be read and altered by a machine-in-the-middle.",
        "Use TLS with certificate and host-name verification for every connection, HSTS for web applications, "
        "and mutual TLS between services where possible.",
        certExamples, tlsRefs);
  const std::vector<Example> cleartextExamples = {
      ex("python", R"~(requests.post("http://api.example.com/login", data=creds))~",
         R"~(requests.post("https://api.example.com/login", data=creds))~"),
      ex("javascript", R"~(http.createServer(app).listen(80);)~",
         R"~(https.createServer({ key, cert }, app).listen(443);
// behind a proxy: redirect HTTP to HTTPS and send Strict-Transport-Security)~"),
      ex("java", R"~(new URL("http://api.example.com/token").openConnection();)~",
         R"~(new URL("https://api.example.com/token").openConnection();)~"),
      ex("go", R"~(http.ListenAndServe(":80", mux))~",
         R"~(http.ListenAndServeTLS(":443", "cert.pem", "key.pem", mux))~"),
      ex("hcl", R"~(resource "aws_lb_listener" "web" {
  port     = 80
  protocol = "HTTP"
})~",
         R"~(resource "aws_lb_listener" "web" {
  port            = 443
  protocol        = "HTTPS"
  ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn = aws_acm_certificate.web.arn
})~"),
      ex("yaml", R"~(metadata:
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "false")~",
         R"~(spec:
  tls:
    - hosts: [app.example.com]
      secretName: app-tls)~")};
  b.add(319, "Cleartext Transmission of Sensitive Information",
        "Data sent over HTTP, FTP, telnet, unencrypted database or message-broker connections can be read and "
        "modified by anyone on the network path, including passwords, session cookies and personal data.",
        "Use TLS (HTTPS, `sslmode=verify-full`, `rediss://`, SMTPS/STARTTLS required) for every connection that "
        "carries sensitive data, including internal ones; redirect HTTP to HTTPS and send HSTS; in IaC configure "
        "HTTPS listeners and enforce TLS policies on load balancers, buckets and databases.",
        cleartextExamples, tlsRefs);
  b.add(311, "Missing Encryption of Sensitive Data",
        "Sensitive data stored or sent without encryption (disks, buckets, databases, queues, backups) is exposed "
        "to anyone who obtains the medium, a snapshot or a misconfigured access path.",
        "Encrypt at rest and in transit: enable storage encryption (preferably with customer-managed KMS keys) on "
        "buckets, volumes, databases, queues and logs, and TLS on connections. In application code encrypt "
        "sensitive fields with an AEAD cipher and keys from a KMS.",
        {ex("hcl", R"~(resource "aws_ebs_volume" "data" {
  size = 100
}
resource "aws_db_instance" "db" {
  storage_encrypted = false
})~",
            R"~(resource "aws_ebs_volume" "data" {
  size       = 100
  encrypted  = true
  kms_key_id = aws_kms_key.data.arn
}
resource "aws_db_instance" "db" {
  storage_encrypted = true
  kms_key_id        = aws_kms_key.data.arn
})~"),
         ex("yaml", R"~(Resources:
  Bucket:
    Type: AWS::S3::Bucket)~",
            R"~(Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms)~"),
         ex("python", R"~(db.save(user_id, ssn=ssn))~", R"~(nonce = os.urandom(12)
db.save(user_id, ssn=nonce + AESGCM(data_key).encrypt(nonce, ssn.encode(), None)))~")},
        {cheatSheet("Cryptographic_Storage"), cheatSheet("Infrastructure_as_Code_Security")});
  b.add(312, "Cleartext Storage of Sensitive Information",
        "Passwords, tokens, keys or personal data stored unencrypted (in files, databases, local storage, logs or "
        "state files) are exposed to anyone who can read that storage, including backups and other apps.",
        "Do not store what you do not need; hash passwords; keep secrets in a secret manager or the OS keychain; "
        "encrypt other sensitive fields with keys held outside the data store; never keep tokens in browser "
        "`localStorage`.",
        {ex("javascript", R"~(localStorage.setItem("accessToken", token);)~",
            R"~(// Let the server set the session in an HttpOnly, Secure, SameSite cookie instead.)~"),
         ex("python", R"~(config["password"] = password
json.dump(config, open("config.json", "w")))~",
            R"~(keyring.set_password("myapp", username, password)  # OS keychain)~"),
         ex("java", R"~(prefs.put("apiToken", token);)~",
            R"~(// Android: EncryptedSharedPreferences or the Keystore; servers: a secret manager.)~")},
        {cheatSheet("Cryptographic_Storage"), cheatSheet("Secrets_Management")});
  b.add(315, "Cleartext Storage of Sensitive Information in a Cookie",
        "Cookies are stored on the client and sent with requests; sensitive values in them can be read by the "
        "user, by malware and, without the right flags, by scripts or the network.",
        "Keep only an opaque session id in the cookie and the data on the server, or use a framework's signed "
        "and encrypted cookie store; set `Secure`, `HttpOnly` and `SameSite`.",
        {ex("javascript", R"~(res.cookie("user", JSON.stringify({ id, email, role }));)~",
            R"~(req.session.userId = id;  // express-session keeps data server-side
// cookie: { secure: true, httpOnly: true, sameSite: "lax" })~"),
         ex("python", R"~(resp.set_cookie("email", user.email))~",
            R"~(session["user_id"] = user.id  # signed session; store data server-side)~")},
        {cheatSheet("Session_Management")});
  b.add(922, "Insecure Storage of Sensitive Information",
        "Sensitive data is kept where other users, apps or scripts can read it (world-readable files, shared "
        "external storage, browser storage reachable by any script on the origin).",
        "Store it in protected locations (OS keychain, app-private storage, encrypted stores with restrictive "
        "permissions) and keep session tokens in HttpOnly cookies rather than web storage.",
        {ex("javascript", R"~(sessionStorage.setItem("refreshToken", token);)~",
            R"~(// Issue the refresh token as an HttpOnly, Secure, SameSite=Strict cookie on the auth path.)~")},
        {cheatSheet("HTML5_Security")});
}

// ---------------------------------------------------------------------------------------------
// Web application weaknesses: authentication, authorisation, sessions, requests, parsers.
// ---------------------------------------------------------------------------------------------
void web(Builder& b) {
  const std::vector<std::string> exposureRefs = {cheatSheet("Error_Handling"), cheatSheet("Logging")};
  b.add(200, "Exposure of Sensitive Information to an Unauthorized Actor",
        "Responses, logs, errors or files reveal data the requester should not see: personal data, secrets, "
        "internal addresses, other users' records or details that help an attack.",
        "Return only the fields a client needs (explicit response DTOs, not whole entities), check authorisation "
        "for every record, keep debug output and stack traces out of responses, and review what is logged.",
        {ex("javascript", R"~(res.json(await User.findById(id));  // includes passwordHash, resetToken)~",
            R"~(const u = await User.findById(id);
res.json({ id: u.id, name: u.name });)~"),
         ex("python", R"~(return jsonify(user.__dict__))~", R"~(return jsonify(id=user.id, name=user.name))~"),
         ex("java", R"~(return userRepository.findById(id);  // serialises every column)~",
            R"~(return userRepository.findById(id).map(UserView::from);  // explicit public fields)~")},
        exposureRefs);
  b.add(209, "Generation of Error Message Containing Sensitive Information",
        "Stack traces, SQL errors and exception messages shown to users reveal file paths, queries, library "
        "versions and sometimes data, which guides further attacks (e.g. error-based SQL injection).",
        "Show users a generic message with a correlation id, log the details server-side, and disable debug "
        "modes and detailed error pages in production.",
        {ex("python", R"~(except Exception as e:
    return str(e), 500)~",
            R"~(except Exception:
    log.exception("request %s failed", request_id)
    return {"error": "internal error", "id": request_id}, 500)~"),
         ex("javascript", R"~(app.use((err, req, res, next) => res.status(500).send(err.stack));)~",
            R"~(app.use((err, req, res, next) => {
  log.error({ err, id: req.id });
  res.status(500).json({ error: "internal error", id: req.id });
});)~"),
         ex("java", R"~(catch (SQLException e) { response.getWriter().print(e.getMessage()); })~",
            R"~(catch (SQLException e) {
  log.error("query failed", e);
  response.sendError(500);
})~"),
         ex("go", R"~(http.Error(w, err.Error(), 500))~", R"~(log.Printf("export failed: %v", err)
http.Error(w, "internal error", http.StatusInternalServerError))~")},
        exposureRefs);
  b.add(215, "Insertion of Sensitive Information Into Debugging Code",
        "Debug output (verbose logging, debug endpoints, dumped requests) left enabled in production exposes "
        "secrets, tokens and personal data to whoever reads logs or finds the endpoint.",
        "Remove debug statements before release or guard them by configuration that is off in production, and "
        "never print credentials or full requests even in debug mode.",
        {ex("python", R"~(print("login", username, password))~", R"~(log.debug("login attempt for %s", username))~")},
        exposureRefs);
  b.add(489, "Active Debug Code",
        "Debug modes (Flask/Django `DEBUG`, the Werkzeug debugger, Spring Boot actuator endpoints, test "
        "back doors) left on in production expose interactive consoles, stack traces and configuration, often "
        "leading straight to code execution.",
        "Drive debug settings from the environment with production-safe defaults, remove test back doors, and "
        "expose management endpoints only on an internal port with authentication.",
        {ex("python", R"~(app.run(host="0.0.0.0", debug=True))~",
            R"~(app.run(debug=os.environ.get("FLASK_DEBUG") == "1"))~"),
         ex("java", R"~(management.endpoints.web.exposure.include=*)~",
            R"~(management.endpoints.web.exposure.include=health,info
management.server.port=8081)~"),
         ex("javascript", R"~(app.use(errorhandler());  // detailed errors in every environment)~",
            R"~(if (process.env.NODE_ENV === "development") app.use(errorhandler());)~")},
        {cheatSheet("Error_Handling")});
  b.add(497, "Exposure of Sensitive System Information to an Unauthorized Control Sphere",
        "Version banners, stack traces, environment dumps and internal paths tell an attacker which exploits "
        "apply and where things are.",
        "Remove version headers (`X-Powered-By`, `Server`), do not return exception details or environment "
        "data, and restrict diagnostic endpoints to operators.",
        {ex("javascript", R"~(const app = express();)~", R"~(const app = express();
app.disable("x-powered-by");)~"),
         ex("python", R"~(return traceback.format_exc(), 500)~", R"~(log.exception("failed")
return "internal error", 500)~")},
        exposureRefs);
  b.add(532, "Insertion of Sensitive Information into Log File",
        "Logs are copied to many systems and read by many people; passwords, tokens, card numbers or personal "
        "data written there leak far beyond the application's own protections.",
        "Never log credentials, tokens, keys or full request bodies; log identifiers instead, mask sensitive "
        "fields centrally (a logging filter or serializer), and restrict log access and retention.",
        {ex("python", R"~(log.info("login user=%s password=%s", user, password))~",
            R"~(log.info("login user=%s", user))~"),
         ex("javascript", R"~(logger.info({ headers: req.headers }, "request");  // includes Authorization)~",
            R"~(const logger = pino({ redact: ["req.headers.authorization", "req.headers.cookie"] });)~"),
         ex("java", R"~(log.debug("token: " + token);)~", R"~(log.debug("token issued for user {}", userId);)~")},
        {cheatSheet("Logging")});
  b.add(
      359, "Exposure of Private Personal Information to an Unauthorized Actor",
      "Personal data (names, addresses, health or financial data, identifiers) exposed to people who should not "
      "see it harms users and breaks privacy law (GDPR, HIPAA), with notification duties and fines.",
      "Collect and keep only the personal data you need, check authorisation per record, mask or omit it in "
      "responses and logs, encrypt it at rest, and keep it out of client-side storage.",
      {ex("javascript", R"~(localStorage.setItem("patient", JSON.stringify(record));)~",
          R"~(// Keep the record server-side; fetch the fields a view needs over an authorised API.)~"),
       ex("python", R"~(log.info("new customer %s", customer))~", R"~(log.info("new customer id=%s", customer.id))~")},
      {cheatSheet("User_Privacy_Protection"), cheatSheet("Logging")});
  b.add(548, "Exposure of Information Through Directory Listing",
        "Automatic directory listings reveal backups, configuration, source files and uploads that were never "
        "meant to be linked.",
        "Disable directory indexes on web servers and static file handlers, and keep non-public files outside "
        "the served directory.",
        {ex("javascript", R"~(app.use("/files", serveIndex("uploads"), express.static("uploads"));)~",
            R"~(app.use("/files", express.static("public-files", { index: false }));)~")},
        {});

  const std::vector<std::string> authRefs = {cheatSheet("Authentication"), cheatSheet("Authorization")};
  b.add(284, "Improper Access Control",
        "A resource is reachable by more principals than intended: a public bucket, an open security group, a "
        "service without network restrictions, an API route without checks. Anyone who finds it can read or "
        "change it.",
        "Deny by default and grant explicitly: block public access on storage, restrict network ingress to known "
        "sources, require authentication on every endpoint, and check authorisation server-side for every "
        "operation.",
        {ex("hcl", R"~(resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
})~",
            R"~(resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = [var.admin_cidr]  # or use SSM Session Manager instead of SSH
})~"),
         ex("yaml", R"~(apiVersion: v1
kind: Service
spec:
  type: LoadBalancer)~",
            R"~(apiVersion: v1
kind: Service
spec:
  type: ClusterIP  # expose through an authenticated ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
spec:
  podSelector: {}
  policyTypes: [Ingress])~"),
         ex("javascript", R"~(app.delete("/api/users/:id", deleteUser);)~",
            R"~(app.delete("/api/users/:id", requireAuth, requireRole("admin"), deleteUser);)~")},
        {cheatSheet("Authorization"), cheatSheet("Infrastructure_as_Code_Security")});
  b.add(285, "Improper Authorization",
        "The application authenticates the user but does not check (or checks wrongly) whether this user may "
        "perform this action on this object, so users reach other users' data or admin functions.",
        "Enforce authorisation on the server for every request, centrally (middleware, policy objects, method "
        "security), deny by default, and check ownership of the specific object, not only the role.",
        {ex("python", R"~(@app.route("/admin/users")
@login_required
def users(): ...)~",
            R"~(@app.route("/admin/users")
@login_required
@roles_required("admin")
def users(): ...)~"),
         ex("java", R"~(@GetMapping("/admin/users")
public List<User> users() { ... })~",
            R"~(@PreAuthorize("hasRole('ADMIN')")
@GetMapping("/admin/users")
public List<User> users() { ... })~"),
         ex("javascript", R"~(router.post("/admin/reset", reset);)~",
            R"~(router.post("/admin/reset", authenticate, authorize("admin"), reset);)~")},
        {cheatSheet("Authorization")});
  b.add(862, "Missing Authorization",
        "An operation performs no access check at all, so any authenticated (or anonymous) user can invoke it "
        "directly, e.g. by guessing the URL of an admin endpoint or another user's record.",
        "Add an authorisation check to every entry point, preferably enforced by the framework for whole route "
        "groups so new endpoints are protected by default; test that unauthorised users get 403.",
        {ex("javascript",
            R"~(app.get("/api/invoices/:id", async (req, res) => res.json(await Invoice.findById(req.params.id)));)~",
            R"~(app.get("/api/invoices/:id", requireAuth, async (req, res) => {
  const inv = await Invoice.findOne({ _id: req.params.id, ownerId: req.user.id });
  inv ? res.json(inv) : res.sendStatus(404);
});)~"),
         ex("python", R"~(def invoice(request, id):
    return JsonResponse(Invoice.objects.get(id=id).as_dict()))~",
            R"~(@login_required
def invoice(request, id):
    inv = get_object_or_404(Invoice, id=id, owner=request.user)
    return JsonResponse(inv.as_dict()))~"),
         ex("java", R"~(@DeleteMapping("/projects/{id}")
void delete(@PathVariable long id) { repo.deleteById(id); })~",
            R"~(@PreAuthorize("@projects.isOwner(#id, authentication)")
@DeleteMapping("/projects/{id}")
void delete(@PathVariable long id) { repo.deleteById(id); })~")},
        {cheatSheet("Authorization")});
  b.add(863, "Incorrect Authorization",
        "An access check exists but decides wrongly (checks the wrong attribute, trusts a client-supplied role, "
        "uses a bypassable path or method match), so attackers pass it.",
        "Base decisions on server-side identity and data only, match the exact resource and action, deny by "
        "default, and cover the rules with tests for each role.",
        {ex("javascript", R"~(if (req.body.role === "admin") grantAccess();)~",
            R"~(if (req.user.roles.includes("admin")) grantAccess();  // from the verified session)~"),
         ex("python", R"~(if request.cookies.get("is_admin") == "true":)~", R"~(if current_user.has_role("admin"):)~")},
        {cheatSheet("Authorization")});
  b.add(639, "Authorization Bypass Through User-Controlled Key",
        "Object ids in URLs or bodies are trusted without checking they belong to the caller (insecure direct "
        "object reference), so changing `?id=1001` to `1002` returns someone else's data.",
        "Scope every lookup by the authenticated user (`WHERE id = ? AND owner_id = ?`) or check ownership after "
        "loading; random ids are not a substitute for the check.",
        {ex("python", R"~(order = Order.objects.get(id=request.GET["id"]))~",
            R"~(order = get_object_or_404(Order, id=request.GET["id"], customer=request.user))~"),
         ex("javascript", R"~(const doc = await Doc.findById(req.params.id);)~",
            R"~(const doc = await Doc.findOne({ _id: req.params.id, owner: req.user.id });)~"),
         ex("java", R"~(Order o = orders.findById(id);)~",
            R"~(Order o = orders.findByIdAndCustomerId(id, currentUser.getId())
    .orElseThrow(NotFoundException::new);)~")},
        {cheatSheet("Insecure_Direct_Object_Reference_Prevention")});
  b.add(287, "Improper Authentication",
        "The application does not reliably prove who the caller is (accepting unsigned tokens, comparing "
        "passwords in plain text, trusting headers such as `X-User`), so attackers log in as someone else.",
        "Use a proven authentication framework or identity provider, verify tokens (signature, issuer, audience, "
        "expiry), store passwords with a password hash, and add multi-factor authentication for sensitive "
        "accounts.",
        {ex("javascript", R"~(const user = req.headers["x-user-id"];)~",
            R"~(const { sub: user } = jwt.verify(token, publicKey, { algorithms: ["RS256"], issuer, audience });)~"),
         ex("python", R"~(if user.password == request.form["password"]:)~", R"~(try:
    PasswordHasher().verify(user.password_hash, request.form["password"])
except VerifyMismatchError:
    abort(401))~")},
        {cheatSheet("Authentication"), cheatSheet("Multifactor_Authentication")});
  b.add(290, "Authentication Bypass by Spoofing",
        "Trusting spoofable attributes (source IP, `X-Forwarded-For`, `Referer`, reverse DNS, client-side "
        "flags) as proof of identity lets an attacker forge them.",
        "Authenticate with credentials or mutual TLS, not addresses or headers; if a proxy sets client-address "
        "headers, trust them only from that proxy (e.g. Express `trust proxy` set to its address).",
        {ex("javascript", R"~(if (req.headers["x-forwarded-for"] === "10.0.0.5") isAdmin = true;)~",
            R"~(app.set("trust proxy", "10.0.0.1");  // only the known proxy
// and authorise with the authenticated identity, not the address)~")},
        {cheatSheet("Authentication")});
  b.add(306, "Missing Authentication for Critical Function",
        "A function that changes state or exposes data (admin APIs, management ports, database or cache "
        "endpoints, cloud resources) accepts requests without any authentication.",
        "Require authentication on every critical function by default; do not rely on obscurity or a "
        "\"private\" network; enable authentication on data stores and management interfaces.",
        {ex("javascript", R"~(app.post("/internal/reindex", reindex);)~",
            R"~(app.post("/internal/reindex", requireServiceToken, reindex);)~"),
         ex("yaml", R"~(command: ["redis-server", "--protected-mode", "no"])~",
            R"~(command: ["redis-server", "--requirepass", "$(REDIS_PASSWORD)"]
env:
  - name: REDIS_PASSWORD
    valueFrom: { secretKeyRef: { name: redis, key: password } })~"),
         ex("hcl", R"~(resource "aws_lambda_function_url" "admin" {
  authorization_type = "NONE"
})~",
            R"~(resource "aws_lambda_function_url" "admin" {
  authorization_type = "AWS_IAM"
})~")},
        {cheatSheet("Authentication")});
  b.add(307, "Improper Restriction of Excessive Authentication Attempts",
        "Unlimited login, OTP or reset-code attempts let an attacker guess passwords or codes by brute force or "
        "credential stuffing.",
        "Rate-limit attempts per account and per source, add progressive delays or temporary lockout, require "
        "MFA, and alert on bursts of failures.",
        {ex("javascript", R"~(app.post("/login", login);)~",
            R"~(const limiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });
app.post("/login", limiter, login);)~"),
         ex("python", R"~(@app.route("/login", methods=["POST"]))~", R"~(@app.route("/login", methods=["POST"])
@limiter.limit("10 per 15 minutes"))~")},
        {cheatSheet("Authentication")});
  b.add(
      521, "Weak Password Requirements",
      "Allowing short or common passwords makes accounts easy to take over by guessing or credential stuffing.",
      "Require at least 8 (better 12+) characters when MFA is absent, allow long passphrases, and reject "
      "passwords found in breach lists instead of imposing composition rules.",
      {ex("python", R"~(if len(password) < 4: raise ValueError())~", R"~(if len(password) < 12 or is_breached(password):
    raise ValueError("choose a longer, uncommon password"))~")},
      {cheatSheet("Authentication")});
  b.add(640, "Weak Password Recovery Mechanism for Forgotten Password",
        "Guessable reset tokens, security questions, tokens that never expire or reset links built from the "
        "`Host` header let an attacker take over accounts.",
        "Send a single-use, random (CSPRNG, 128+ bits), short-lived token to the registered address; build links "
        "from configured URLs, not the request's Host header; answer identically whether or not the account "
        "exists.",
        {ex("python", R"~(token = str(user.id) + str(int(time.time()))
link = f"https://{request.host}/reset?t={token}")~",
            R"~(token = secrets.token_urlsafe(32)
store_reset(user, sha256(token), expires=now() + timedelta(minutes=30))
link = f"{settings.BASE_URL}/reset?t={token}")~")},
        {cheatSheet("Forgot_Password")});
  b.add(384, "Session Fixation",
        "If the session id is not changed at login, an attacker who planted a known session id in the victim's "
        "browser is logged in as the victim once the victim signs in.",
        "Issue a new session id on every privilege change (login, elevation) and invalidate the old one; accept "
        "session ids only from cookies.",
        {ex("javascript", R"~(req.session.userId = user.id;)~", R"~(req.session.regenerate((err) => {
  if (err) return next(err);
  req.session.userId = user.id;
  res.redirect("/");
});)~"),
         ex("java", R"~(request.getSession().setAttribute("user", user);)~", R"~(request.changeSessionId();
request.getSession().setAttribute("user", user);)~")},
        {cheatSheet("Session_Management")});

  b.add(352, "Cross-Site Request Forgery (CSRF)",
        "A malicious site makes the victim's browser send a state-changing request to your site, with the "
        "victim's cookies attached: changing e-mail or password, transferring money, or granting access.",
        "Use the framework's CSRF protection (synchronizer or double-submit tokens) for every state-changing "
        "request, never change state on GET, set `SameSite=Lax` or `Strict` on session cookies, and verify "
        "`Origin` for APIs using cookies.",
        {ex("python", R"~(app = Flask(__name__)  # forms posted without a CSRF token)~",
            R"~(from flask_wtf.csrf import CSRFProtect
app = Flask(__name__)
CSRFProtect(app))~"),
         ex("java", R"~(http.csrf(csrf -> csrf.disable());)~",
            R"~(http.csrf(Customizer.withDefaults());  // keep CSRF protection on for cookie sessions)~"),
         ex("javascript", R"~(app.use(methodOverride());
app.post("/transfer", transfer);)~",
            R"~(app.use(session({ cookie: { sameSite: "strict", secure: true, httpOnly: true } }));
app.post("/transfer", csrfProtection, transfer);  // token checked per request)~"),
         ex("ruby", R"~(skip_forgery_protection)~", R"~(protect_from_forgery with: :exception)~")},
        {cheatSheet("Cross-Site_Request_Forgery_Prevention")});
  b.add(346, "Origin Validation Error",
        "Messages or requests are accepted without verifying their origin (`postMessage` handlers without an "
        "`event.origin` check, CORS or WebSocket servers that trust any Origin), so any site can drive them.",
        "Check the origin against an exact allow-list (no substring or regex prefix matches) in `message` "
        "handlers, CORS configuration and WebSocket handshakes, and name the target origin in `postMessage`.",
        {ex("javascript", R"~(window.addEventListener("message", (e) => run(e.data));
frame.postMessage(secret, "*");)~",
            R"~(window.addEventListener("message", (e) => {
  if (e.origin !== "https://app.example.com") return;
  run(e.data);
});
frame.postMessage(secret, "https://widget.example.com");)~")},
        {cheatSheet("HTML5_Security")});
  b.add(942, "Permissive Cross-domain Policy with Untrusted Domains",
        "A CORS policy that reflects any Origin (or allows `null`, or suffix-matches) together with credentials "
        "lets any website read authenticated responses from your API in the victim's browser.",
        "Allow only an explicit list of trusted origins, never reflect the request's Origin blindly, and do not "
        "combine credentials with wildcards or `null`.",
        {ex("javascript", R"~(app.use(cors({ origin: true, credentials: true }));)~",
            R"~(app.use(cors({ origin: ["https://app.example.com"], credentials: true }));)~"),
         ex("python", R"~(CORS(app, origins="*", supports_credentials=True))~",
            R"~(CORS(app, origins=["https://app.example.com"], supports_credentials=True))~"),
         ex("java", R"~(@CrossOrigin(originPatterns = "*", allowCredentials = "true"))~",
            R"~(@CrossOrigin(origins = "https://app.example.com", allowCredentials = "true"))~")},
        {cheatSheet("HTML5_Security")});
  b.add(1022, "Use of Web Link to Untrusted Target with window.opener Access",
        "A page opened with `target=\"_blank\"` can, in older browsers, navigate the opening tab through "
        "`window.opener` to a phishing page (reverse tabnabbing).",
        "Add `rel=\"noopener noreferrer\"` to links that open a new window and pass `noopener` to "
        "`window.open`.",
        {ex("javascript", R"~(window.open(url);)~", R"~(window.open(url, "_blank", "noopener,noreferrer");)~"),
         ex("tsx", R"~(<a href={url} target="_blank">docs</a>)~",
            R"~(<a href={url} target="_blank" rel="noopener noreferrer">docs</a>)~")},
        {cheatSheet("HTML5_Security")});

  const std::vector<std::string> cookieRefs = {cheatSheet("Session_Management")};
  const std::vector<Example> cookieExamples = {
      ex("javascript", R"~(res.cookie("session", id);)~",
         R"~(res.cookie("session", id, { secure: true, httpOnly: true, sameSite: "lax" });)~"),
      ex("python", R"~(resp.set_cookie("session", sid))~",
         R"~(resp.set_cookie("session", sid, secure=True, httponly=True, samesite="Lax"))~"),
      ex("java", R"~(Cookie c = new Cookie("session", id);
response.addCookie(c);)~",
         R"~(Cookie c = new Cookie("session", id);
c.setSecure(true);
c.setHttpOnly(true);
c.setAttribute("SameSite", "Lax");  // Servlet 6
response.addCookie(c);)~"),
      ex("go", R"~(http.SetCookie(w, &http.Cookie{Name: "session", Value: id}))~",
         R"~(http.SetCookie(w, &http.Cookie{Name: "session", Value: id, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}))~"),
      ex("php", R"~(setcookie("session", $id);)~",
         R"~(setcookie("session", $id, ["secure" => true, "httponly" => true, "samesite" => "Lax"]);)~")};
  b.add(614, "Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
        "Without `Secure` the browser also sends the cookie over plain HTTP (any `http://` link or injected "
        "request), where a network attacker can read the session id and hijack the session.",
        "Set `Secure` on every session and authentication cookie (and HttpOnly and SameSite), serve the site "
        "only over HTTPS with HSTS, and consider the `__Host-` cookie prefix.",
        cookieExamples, cookieRefs);
  b.add(1004, "Sensitive Cookie Without 'HttpOnly' Flag",
        "Cookies without `HttpOnly` can be read by JavaScript, so any XSS on the site steals the session.",
        "Set `HttpOnly` on session and authentication cookies (together with `Secure` and `SameSite`); keep only "
        "non-sensitive values readable by scripts.",
        cookieExamples, cookieRefs);
  b.add(1275, "Sensitive Cookie with Improper SameSite Attribute",
        "`SameSite=None` (or a missing attribute in older browsers) makes the browser attach the cookie to "
        "cross-site requests, enabling CSRF and cross-site leaks.",
        "Set `SameSite=Lax` (or `Strict` for sensitive applications) on session cookies; use `None` only with "
        "`Secure` and when cross-site use is really needed, plus CSRF tokens.",
        cookieExamples, cookieRefs);

  b.add(434, "Unrestricted Upload of File with Dangerous Type",
        "Uploaded files are stored under their own name and type, so an attacker uploads a script the server "
        "then executes (`.php`, `.jsp`), HTML/SVG that runs as XSS when served, or overwrites existing files.",
        "Allow-list extensions and verify content type by content; generate the stored file name yourself; "
        "store uploads outside the web root (or in object storage) and serve them with `Content-Disposition: "
        "attachment` and `X-Content-Type-Options: nosniff`; limit size; scan for malware where relevant.",
        {ex("python", R"~(f = request.files["file"]
f.save(os.path.join("static/uploads", f.filename)))~",
            R"~(f = request.files["file"]
ext = os.path.splitext(f.filename)[1].lower()
if ext not in {".png", ".jpg", ".pdf"}:
    abort(400)
f.save(os.path.join(UPLOAD_DIR, f"{uuid.uuid4()}{ext}"))  # outside the web root)~"),
         ex("javascript", R"~(const upload = multer({ dest: "public/uploads" });)~", R"~(const upload = multer({
  storage: multer.diskStorage({ destination: UPLOAD_DIR, filename: (req, f, cb) => cb(null, crypto.randomUUID()) }),
  limits: { fileSize: 5 * 1024 * 1024 },
  fileFilter: (req, f, cb) => cb(null, ["image/png", "image/jpeg"].includes(f.mimetype)),
});)~"),
         ex("java", R"~(part.write("/var/www/uploads/" + part.getSubmittedFileName());)~",
            R"~(String ext = allowedExtension(part.getSubmittedFileName());  // throws if not allowed
part.write(uploadDir.resolve(UUID.randomUUID() + ext).toString());)~"),
         ex("php", R"~(move_uploaded_file($_FILES['f']['tmp_name'], 'uploads/' . $_FILES['f']['name']);)~",
            R"~($ext = strtolower(pathinfo($_FILES['f']['name'], PATHINFO_EXTENSION));
if (!in_array($ext, ['png', 'jpg', 'pdf'], true)) exit(400);
move_uploaded_file($_FILES['f']['tmp_name'], UPLOAD_DIR . '/' . bin2hex(random_bytes(16)) . ".$ext");)~")},
        {cheatSheet("File_Upload")});
  b.add(219, "Storage of File with Sensitive Data Under Web Root",
        "Files below the served directory (backups, logs, configuration, uploads, `.git`) can be downloaded by "
        "anyone who guesses the URL.",
        "Keep everything that is not meant to be public outside the web root, and serve user files through a "
        "handler that checks authorisation.",
        {ex("python", R"~(shutil.copy(db_path, "static/backup.sqlite"))~",
            R"~(shutil.copy(db_path, os.path.join(BACKUP_DIR, "backup.sqlite"))  # not served)~")},
        {});

  const std::vector<Example> redirectExamples = {
      ex("javascript", R"~(res.redirect(req.query.next);)~", R"~(const next = String(req.query.next ?? "/");
res.redirect(next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/");)~"),
      ex("python", R"~(return redirect(request.args["next"]))~", R"~(from urllib.parse import urlsplit
target = request.args.get("next", "/")
if urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
    target = "/"
return redirect(target))~"),
      ex("java", R"~(response.sendRedirect(request.getParameter("url"));)~",
         R"~(String url = request.getParameter("url");
response.sendRedirect(ALLOWED_REDIRECTS.contains(url) ? url : "/");)~"),
      ex("go", R"~(http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusFound))~",
         R"~(next := r.URL.Query().Get("next")
if u, err := url.Parse(next); err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
  next = "/"
}
http.Redirect(w, r, next, http.StatusFound))~"),
      ex("php", R"~(header("Location: " . $_GET['next']);)~", R"~($allowed = ['/home', '/account'];
header("Location: " . (in_array($_GET['next'] ?? '', $allowed, true) ? $_GET['next'] : '/home'));)~")};
  b.add(601, "URL Redirection to Untrusted Site ('Open Redirect')",
        "A redirect target taken from input sends users from your trusted domain to an attacker's site, which "
        "makes phishing links convincing and can leak OAuth codes or tokens in the redirect.",
        "Redirect only to relative paths on your own site (reject `//host` and `/\\host`) or to an allow-list of "
        "destinations; better, pass an identifier that maps to a URL server-side.",
        redirectExamples, {cheatSheet("Unvalidated_Redirects_and_Forwards")});

  b.add(918, "Server-Side Request Forgery (SSRF)",
        "The server fetches a URL chosen by the user, so an attacker makes it call internal services, cloud "
        "metadata endpoints (`169.254.169.254`, which hand out credentials) or localhost admin ports that are "
        "not reachable from outside.",
        "Do not fetch arbitrary URLs: allow-list hosts (or map ids to URLs), allow only `https`, resolve the name "
        "and refuse private, loopback and link-local addresses (checking the address actually connected to, "
        "to defeat DNS rebinding), disable redirects, and block metadata access at the network level (IMDSv2, "
        "egress rules).",
        {ex("python", R"~(requests.get(request.args["url"]))~", R"~(url = urlsplit(request.args["url"])
if url.scheme != "https" or url.hostname not in ALLOWED_HOSTS:
    abort(400)
requests.get(url.geturl(), allow_redirects=False, timeout=5))~"),
         ex("javascript", R"~(const r = await fetch(req.query.url);)~", R"~(const u = new URL(String(req.query.url));
if (u.protocol !== "https:" || !ALLOWED_HOSTS.has(u.hostname)) return res.sendStatus(400);
const r = await fetch(u, { redirect: "error" });)~"),
         ex("java", R"~(new URL(request.getParameter("url")).openStream();)~",
            R"~(URI u = URI.create(request.getParameter("url"));
if (!"https".equals(u.getScheme()) || !ALLOWED_HOSTS.contains(u.getHost())) throw new BadRequestException();
HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
    .send(HttpRequest.newBuilder(u).build(), BodyHandlers.ofString());)~"),
         ex("go", R"~(resp, err := http.Get(r.URL.Query().Get("url")))~",
            R"~(u, err := url.Parse(r.URL.Query().Get("url"))
if err != nil || u.Scheme != "https" || !allowedHosts[u.Hostname()] { http.Error(w, "bad url", 400); return }
resp, err := client.Get(u.String())  // client with CheckRedirect returning an error)~"),
         ex("hcl", R"~(resource "aws_instance" "web" {
  ami = var.ami
})~",
            R"~(resource "aws_instance" "web" {
  ami = var.ami
  metadata_options {
    http_tokens = "required"  # IMDSv2 blunts SSRF credential theft
  }
})~")},
        {cheatSheet("Server_Side_Request_Forgery_Prevention")});

  const std::vector<std::string> xxeRefs = {cheatSheet("XML_External_Entity_Prevention")};
  const std::vector<Example> xxeExamples = {
      ex("java", R"~(DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
Document d = f.newDocumentBuilder().parse(input);)~",
         R"~(DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
f.setXIncludeAware(false);
f.setExpandEntityReferences(false);
Document d = f.newDocumentBuilder().parse(input);)~"),
      ex("python", R"~(from lxml import etree
tree = etree.fromstring(data, etree.XMLParser(resolve_entities=True)))~",
         R"~(import defusedxml.ElementTree as ET
tree = ET.fromstring(data))~"),
      ex("javascript", R"~(libxmljs.parseXml(xml, { noent: true });)~",
         R"~(libxmljs.parseXml(xml, { noent: false, nonet: true });)~"),
      ex("c_sharp", R"~(var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse };)~",
         R"~(var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };)~"),
      ex("php", R"~($doc->loadXML($xml, LIBXML_NOENT | LIBXML_DTDLOAD);)~",
         R"~($doc->loadXML($xml, LIBXML_NONET);  // no entity substitution, no DTD loading)~"),
      ex("c", R"~(xmlDocPtr d = xmlReadMemory(buf, len, NULL, NULL, XML_PARSE_NOENT | XML_PARSE_DTDLOAD);)~",
         R"~(xmlDocPtr d = xmlReadMemory(buf, len, NULL, NULL, XML_PARSE_NONET);)~")};
  b.add(611, "Improper Restriction of XML External Entity Reference",
        "An XML parser that resolves external entities lets a document read local files (`file:///etc/passwd`), "
        "make requests to internal systems (SSRF) or exhaust resources.",
        "Disable DTDs entirely (`disallow-doctype-decl`) or at least external entities and entity expansion in "
        "the parser configuration; in Python use `defusedxml`. Prefer JSON where XML is not required.",
        xxeExamples, xxeRefs);
  b.add(776, "Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')",
        "Nested entity definitions (\"billion laughs\") expand a small document into gigabytes, exhausting memory "
        "and CPU of the parser: a denial of service with one request.",
        "Disable DTD processing, or enable the parser's entity-expansion limits (`FEATURE_SECURE_PROCESSING` in "
        "Java, `defusedxml` in Python, `DtdProcessing.Prohibit` in .NET).",
        xxeExamples, xxeRefs);
  b.add(827, "Improper Control of Document Type Definition",
        "Letting a document choose its own DTD lets an attacker define entities that read files, reach internal "
        "hosts or expand without limit.",
        "Disallow DOCTYPE declarations, or validate only against schemas bundled with the application and "
        "disable loading of external DTDs.",
        xxeExamples, xxeRefs);

  b.add(915, "Improperly Controlled Modification of Dynamically-Determined Object Attributes",
        "Binding request fields straight onto objects (mass assignment) lets an attacker set fields they should "
        "not control, such as `isAdmin`, `role`, `price` or `ownerId`; with bracket access in JavaScript "
        "(`obj[key] = value`) it can also reach `__proto__`.",
        "Bind only an explicit allow-list of fields (DTOs, strong parameters, `pick`), never the whole request "
        "body; for dynamic keys use a `Map` or check the key against an allow-list.",
        {ex("javascript", R"~(await User.update(req.body, { where: { id } });
settings[req.body.key] = req.body.value;)~",
            R"~(const { name, email } = req.body;
await User.update({ name, email }, { where: { id } });
if (ALLOWED_KEYS.has(req.body.key)) settings.set(req.body.key, req.body.value);  // a Map)~"),
         ex("ruby", R"~(User.update(params[:user]))~", R"~(User.update(params.require(:user).permit(:name, :email)))~"),
         ex("python", R"~(for k, v in request.json.items():
    setattr(user, k, v))~",
            R"~(for k in ("name", "email"):
    if k in request.json:
        setattr(user, k, request.json[k]))~"),
         ex("java", R"~(public User update(@RequestBody User user) { return repo.save(user); })~",
            R"~(public User update(@PathVariable long id, @RequestBody UserUpdate dto) {  // only editable fields
  User u = repo.findById(id).orElseThrow();
  u.setName(dto.name());
  return repo.save(u);
})~")},
        {cheatSheet("Mass_Assignment")});
  b.add(1321, "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')",
        "Merging or assigning user-controlled keys such as `__proto__` or `constructor.prototype` modifies "
        "`Object.prototype`, so every object in the process gains attacker-chosen properties: this bypasses "
        "checks (`isAdmin`), crashes the service, and with some template engines or `child_process` options "
        "leads to code execution.",
        "Upgrade vulnerable merge/set libraries (lodash, minimist, ...); reject `__proto__`, `constructor` and "
        "`prototype` keys in recursive merges and path setters; use `Map` or `Object.create(null)` for "
        "dictionaries; validate JSON against a schema that forbids extra keys; consider `node "
        "--disable-proto=delete`.",
        {ex("javascript", R"~(function merge(t, s) {
  for (const k in s) t[k] = typeof s[k] === "object" ? merge(t[k] ?? {}, s[k]) : s[k];
  return t;
})~",
            R"~(function merge(t, s) {
  for (const k of Object.keys(s)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
    t[k] = typeof s[k] === "object" && s[k] !== null ? merge(t[k] ?? Object.create(null), s[k]) : s[k];
  }
  return t;
})~"),
         ex("typescript", R"~(const cache: Record<string, unknown> = {};
cache[key] = value;)~",
            R"~(const cache = new Map<string, unknown>();
cache.set(key, value);)~")},
        {cheatSheet("Prototype_Pollution_Prevention")});

  const std::vector<std::string> dosRefs = {cheatSheet("Denial_of_Service")};
  b.add(400, "Uncontrolled Resource Consumption",
        "Work proportional to attacker input without limits (huge bodies, unbounded loops, regular expressions "
        "with catastrophic backtracking, requests without timeouts) lets one client exhaust CPU, memory, "
        "connections or disk and take the service down.",
        "Bound everything input controls: body and upload sizes, collection lengths, recursion depth, page "
        "sizes, timeouts on outgoing requests, regular-expression complexity (or a linear-time engine), and "
        "rate-limit per client.",
        {ex("python", R"~(requests.get(url))~", R"~(requests.get(url, timeout=(3.05, 10)))~"),
         ex("javascript", R"~(app.use(express.json({ limit: "100mb" }));
const re = /^(\w+\s?)*$/;)~",
            R"~(app.use(express.json({ limit: "100kb" }));
const re = /^\w+(\s\w+)*$/;  // no nested quantifier over the same text)~"),
         ex("go", R"~(body, _ := io.ReadAll(r.Body)
srv := &http.Server{Addr: ":8080", Handler: mux})~",
            R"~(body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second})~"),
         ex("java", R"~(List<Item> items = mapper.readValue(body, LIST_OF_ITEMS);)~",
            R"~(if (body.length() > MAX_BODY) throw new PayloadTooLargeException();
List<Item> items = mapper.readValue(body, LIST_OF_ITEMS);
if (items.size() > MAX_ITEMS) throw new BadRequestException();)~"),
         ex("yaml", R"~(containers:
  - name: api
    image: api:1.4)~",
            R"~(containers:
  - name: api
    image: api:1.4
    resources:
      requests: { cpu: 250m, memory: 256Mi }
      limits: { cpu: "1", memory: 512Mi })~")},
        dosRefs);
  b.add(770, "Allocation of Resources Without Limits or Throttling",
        "Resources are allocated per request without a cap (threads, connections, memory, containers without "
        "limits, unthrottled API calls), so a burst or a single abusive client exhausts them for everyone.",
        "Set explicit limits: connection and worker pools, request rate limits, maximum sizes, Kubernetes "
        "resource requests/limits and quotas, and queue lengths with back-pressure.",
        {ex("yaml", R"~(containers:
  - name: worker
    image: worker:2.0)~",
            R"~(containers:
  - name: worker
    image: worker:2.0
    resources:
      requests: { cpu: 500m, memory: 512Mi }
      limits: { cpu: "1", memory: 1Gi })~"),
         ex("javascript", R"~(app.post("/api/search", search);)~",
            R"~(app.post("/api/search", rateLimit({ windowMs: 60_000, limit: 60 }), search);)~"),
         ex("go", R"~(for _, job := range jobs { go process(job) })~", R"~(sem := make(chan struct{}, 16)
for _, job := range jobs {
  sem <- struct{}{}
  go func(j Job) { defer func() { <-sem }(); process(j) }(job)
})~"),
         ex("python", R"~(for url in urls:
    threading.Thread(target=fetch, args=(url,)).start())~",
            R"~(with ThreadPoolExecutor(max_workers=16) as pool:
    pool.map(fetch, urls))~")},
        dosRefs);
  b.add(834, "Excessive Iteration",
        "A loop whose iteration count is controlled by input (or has no reachable exit on some input) lets an "
        "attacker burn CPU indefinitely.",
        "Bound loop counts from input with a maximum, ensure progress on every iteration, and add timeouts to "
        "long-running work.",
        {ex("python", R"~(for _ in range(int(request.args["rounds"])):)~",
            R"~(rounds = min(int(request.args["rounds"]), MAX_ROUNDS)
for _ in range(rounds):)~")},
        dosRefs);
  b.add(1333, "Inefficient Regular Expression Complexity",
        "Regular expressions with nested or overlapping quantifiers (`(a+)+`, `(\\w|\\d)*`) backtrack "
        "exponentially on crafted input, so a short string freezes the thread (ReDoS); in Node.js that blocks "
        "the whole server.",
        "Rewrite the pattern so each character can be matched in only one way (no nested quantifiers over the "
        "same characters), limit input length before matching, or use a linear-time engine (RE2, Go's "
        "`regexp`, Rust's `regex`). Never build patterns from input without escaping.",
        {ex("javascript", R"~(const email = /^([a-zA-Z0-9_.-]+)+@example\.com$/;)~",
            R"~(const email = /^[a-zA-Z0-9_.-]+@example\.com$/;  // one quantifier, no nesting
if (input.length > 254 || !email.test(input)) reject();)~"),
         ex("python", R"~(re.match(r"^(\d+)*$", value))~", R"~(if len(value) > 1000:
    raise ValueError("too long")
re.fullmatch(r"\d*", value)  # no nested quantifier)~"),
         ex("java", R"~(Pattern.compile("(\\w+\\s?)*$"))~",
            R"~(Pattern.compile("\\w+(?:\\s\\w+)*+$")  // possessive: no backtracking)~")},
        {community("attacks/Regular_expression_Denial_of_Service_-_ReDoS")});
  b.add(185, "Incorrect Regular Expression",
        "A validation pattern that does not match what its author intended (unanchored, an unescaped `.`, a "
        "character range like `A-z`, alternatives without grouping) accepts malicious input, e.g. "
        "`evil-example.com` for `example.com`.",
        "Anchor patterns at both ends (`^...$`, `fullmatch`), escape literal dots, group alternatives, and test "
        "the pattern with inputs that must be rejected. For URLs and hosts, parse and compare components "
        "instead of matching text.",
        {ex("javascript", R"~(if (/https:\/\/app.example.com/.test(origin)) allow();)~",
            R"~(if (new URL(origin).origin === "https://app.example.com") allow();)~"),
         ex("python", R"~(if re.match(r"[a-z]+\.example.com", host):)~",
            R"~(if re.fullmatch(r"[a-z]+\.example\.com", host):)~"),
         ex("java", R"~(if (host.matches(".*example.com")) {)~",
            R"~(if (host.equals("example.com") || host.endsWith(".example.com")) {)~")},
        {cheatSheet("Input_Validation")});
  b.add(186, "Overly Restrictive Regular Expression",
        "A pattern that rejects legitimate input (or matches only one spelling of a dangerous value) makes a "
        "defence incomplete: the attacker uses the unmatched variant, e.g. `<SCRIPT` or `<script\\n`.",
        "Do not rely on patterns to find dangerous content; allow-list the valid form instead, and use "
        "case-insensitive, multi-line-aware matching where a blocklist is unavoidable.",
        {ex("javascript", R"~(html = html.replace(/<script>.*<\/script>/g, "");)~",
            R"~(html = DOMPurify.sanitize(html);  // do not strip tags with regular expressions)~")},
        {cheatSheet("Input_Validation")});
  b.add(1176, "Inefficient CPU Computation",
        "Algorithms with avoidable super-linear cost on input-controlled data (quadratic string building, "
        "repeated parsing in loops) turn moderate inputs into long CPU stalls.",
        "Choose data structures with the right complexity (sets/maps for lookups, builders for strings), move "
        "invariant work out of loops, and cap input sizes.",
        {ex("python", R"~(out = ""
for part in parts:
    out += part)~",
            R"~(out = "".join(parts))~"),
         ex("java", R"~(String s = "";
for (String p : parts) s += p;)~",
            R"~(String s = String.join("", parts);)~")},
        dosRefs);

  const std::vector<std::string> deserRefs = {cheatSheet("Deserialization")};
  b.add(502, "Deserialization of Untrusted Data",
        "Native deserialisers (Java `ObjectInputStream`, Python `pickle`, .NET `BinaryFormatter`, PHP "
        "`unserialize`, YAML loaders that build arbitrary objects) instantiate classes named in the data; with "
        "the right gadget classes on the classpath this is remote code execution.",
        "Never deserialise untrusted data with native object serialisers; exchange plain data (JSON, protobuf) "
        "and map it to types explicitly. Use safe loaders (`yaml.safe_load`), and where Java serialisation "
        "cannot be removed, apply a strict `ObjectInputFilter` allow-list. Sign data that must round-trip "
        "through clients.",
        {ex("python", R"~(obj = pickle.loads(request.data)
cfg = yaml.load(text, Loader=yaml.Loader))~",
            R"~(obj = json.loads(request.data)
cfg = yaml.safe_load(text))~"),
         ex("java", R"~(Object o = new ObjectInputStream(in).readObject();)~",
            R"~(ObjectInputStream ois = new ObjectInputStream(in);
ois.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.dto.*;java.base/*;!*"));
Object o = ois.readObject();  // better: Jackson into a concrete DTO)~"),
         ex("javascript", R"~(const obj = serialize.unserialize(req.cookies.profile);)~",
            R"~(const obj = JSON.parse(req.cookies.profile);  // plain data only)~"),
         ex("php", R"~($data = unserialize($_COOKIE['prefs']);)~",
            R"~($data = json_decode($_COOKIE['prefs'], true, 16, JSON_THROW_ON_ERROR);)~"),
         ex("c_sharp", R"~(var o = new BinaryFormatter().Deserialize(stream);)~",
            R"~(var o = JsonSerializer.Deserialize<Prefs>(stream);)~"),
         ex("ruby", R"~(obj = Marshal.load(Base64.decode64(params[:state])))~",
            R"~(obj = JSON.parse(Base64.decode64(params[:state])))~")},
        deserRefs);
  b.add(377, "Insecure Temporary File",
        "Predictable temporary file names (`mktemp`, `tempfile.mktemp`, `/tmp/app.log`) in shared directories "
        "let a local attacker pre-create the file or a symbolic link, so the program writes to or reads from an "
        "attacker-controlled file.",
        "Create temporary files atomically with unique names and restrictive permissions: `mkstemp` (C), "
        "`tempfile.NamedTemporaryFile`/`mkstemp` (Python), `Files.createTempFile` (Java), `os.CreateTemp` (Go), "
        "`mktemp` (the command, in shell).",
        {ex("c", R"~(char *name = mktemp(template);
FILE *f = fopen(name, "w");)~",
            R"~(int fd = mkstemp(template);  /* created 0600, O_EXCL */
if (fd < 0) return -1;
FILE *f = fdopen(fd, "w");)~"),
         ex("python", R"~(path = tempfile.mktemp()
open(path, "w").write(data))~",
            R"~(with tempfile.NamedTemporaryFile("w", delete=False) as f:
    f.write(data))~"),
         ex("java", R"~(File f = new File("/tmp/report-" + id + ".csv");)~",
            R"~(Path f = Files.createTempFile("report-", ".csv");  // unique, owner-only on POSIX)~"),
         ex("go", R"~(f, err := os.Create("/tmp/upload.bin"))~", R"~(f, err := os.CreateTemp("", "upload-*.bin"))~"),
         ex("bash", R"~(tmp=/tmp/build.$$
echo "$data" > "$tmp")~",
            R"~(tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
printf '%s\n' "$data" > "$tmp")~")},
        {community("vulnerabilities/Insecure_Temporary_File")});
  b.add(605, "Multiple Binds to the Same Port",
        "Binding to all interfaces, or with `SO_REUSEADDR`/`SO_REUSEPORT` in a way that lets another process bind "
        "the same port, allows other local processes to intercept traffic, and exposes services to networks "
        "they were not meant for.",
        "Bind to the specific interface the service needs (`127.0.0.1` for local-only services), avoid "
        "`SO_REUSEPORT` unless all listeners are trusted, and put network exposure in deployment configuration.",
        {ex("python", R"~(app.run(host="0.0.0.0"))~",
            R"~(app.run(host="127.0.0.1")  # expose through the reverse proxy)~"),
         ex("go", R"~(http.ListenAndServe(":6060", nil)  // pprof on every interface)~",
            R"~(http.ListenAndServe("127.0.0.1:6060", nil))~")},
        {});
  b.add(1007, "Insufficient Visual Distinction of Homoglyphs Presented to User",
        "Invisible or look-alike Unicode characters (bidirectional overrides, zero-width characters, homoglyphs) "
        "make code or identifiers display differently from what the compiler sees (\"Trojan Source\"), hiding "
        "malicious logic in review.",
        "Reject bidirectional control and zero-width characters in source files (linters, pre-commit hooks, "
        "compiler warnings such as `-Wbidi-chars`), and review flagged lines in an editor that shows them.",
        {ex("javascript", R"~(// With the raw U+202E/U+2066 characters (shown as <...>) this displays as
// if (accessLevel != "user") { // Check if admin
if (accessLevel != "user<U+202E> <U+2066>// Check if admin<U+2069> <U+2066>") {)~",
            R"~(if (accessLevel !== "user") {  // plain ASCII; bidi controls rejected by lint)~")},
        {});
}

// ---------------------------------------------------------------------------------------------
// Privileges and permissions: mostly infrastructure-as-code and container findings.
// ---------------------------------------------------------------------------------------------
void privileges(Builder& b) {
  const std::vector<std::string> iacRefs = {cheatSheet("Kubernetes_Security"), cheatSheet("Docker_Security"),
                                            cheatSheet("Infrastructure_as_Code_Security")};
  const Example podSecurity = ex("yaml", R"~(containers:
  - name: app
    image: app:1.2
    securityContext:
      privileged: true)~",
                                 R"~(securityContext:
  runAsNonRoot: true
  seccompProfile: { type: RuntimeDefault }
containers:
  - name: app
    image: app:1.2
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: { drop: [ALL] })~");
  b.add(250, "Execution with Unnecessary Privileges",
        "A process running as root, a privileged container or a service with broad rights turns any bug in it "
        "into full control of the host, the cluster or the account.",
        "Run as an unprivileged user, drop all capabilities and add back only those needed, forbid privilege "
        "escalation, avoid `privileged: true` and host namespaces, and in code drop privileges right after the "
        "step that needs them.",
        {podSecurity,
         ex("hcl", R"~(resource "aws_ecs_task_definition" "app" {
  container_definitions = jsonencode([{ name = "app", image = "app:1.2", privileged = true }])
})~",
            R"~(resource "aws_ecs_task_definition" "app" {
  container_definitions = jsonencode([{
    name = "app", image = "app:1.2", user = "10001",
    privileged = false, readonlyRootFilesystem = true
  }])
})~"),
         ex("c", R"~(/* bind port 80, then keep serving as root */
serve(listen_fd);)~",
            R"~(/* bind port 80, then drop root for good */
if (setgroups(0, NULL) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) { perror("drop"); exit(1); }
serve(listen_fd);)~")},
        iacRefs);
  b.add(269, "Improper Privilege Management",
        "Privileges are granted, kept or inherited more broadly than needed (wildcard IAM policies, cluster-admin "
        "bindings, setuid programs that never drop rights), so compromising one component compromises much more.",
        "Apply least privilege: grant specific actions on specific resources, bind roles per namespace rather "
        "than cluster-wide, avoid wildcards, review grants regularly, and drop elevated rights as soon as they "
        "are no longer needed.",
        {ex("hcl", R"~(data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
})~",
            R"~(data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.uploads.arn}/*"]
  }
})~"),
         ex("yaml", R"~(kind: ClusterRoleBinding
roleRef:
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: app
    namespace: prod)~",
            R"~(kind: RoleBinding
metadata:
  namespace: prod
roleRef:
  kind: Role
  name: app-config-reader  # get/list on configmaps only
subjects:
  - kind: ServiceAccount
    name: app
    namespace: prod)~")},
        iacRefs);
  const std::vector<Example> permissionExamples = {
      ex("python", R"~(os.chmod(key_path, 0o777)
os.makedirs(data_dir, mode=0o777))~",
         R"~(os.chmod(key_path, 0o600)
os.makedirs(data_dir, mode=0o700))~"),
      ex("c", R"~(umask(0);
int fd = open(path, O_CREAT | O_WRONLY, 0666);)~",
         R"~(int fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0600);)~"),
      ex("go", R"~(os.WriteFile(path, secret, 0644))~", R"~(os.WriteFile(path, secret, 0600))~"),
      ex("bash", R"~(chmod -R 777 /srv/app)~", R"~(chown -R app:app /srv/app
chmod -R u=rwX,go= /srv/app)~"),
      ex("hcl", R"~(resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = "public-read"
})~",
         R"~(resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
})~"),
      ex("yaml", R"~(volumes:
  - name: creds
    secret:
      secretName: creds
      defaultMode: 0777)~",
         R"~(volumes:
  - name: creds
    secret:
      secretName: creds
      defaultMode: 0400)~")};
  b.add(276, "Incorrect Default Permissions",
        "Files, directories, buckets or resources created with permissive defaults (world-writable, public "
        "read, a zero umask) can be read or modified by other users, processes or the internet.",
        "Create resources with the narrowest permissions from the start (mode 0600/0700, private ACLs, public "
        "access blocks) instead of tightening later, and set restrictive defaults at the account or "
        "organisation level.",
        permissionExamples, iacRefs);
  b.add(732, "Incorrect Permission Assignment for Critical Resource",
        "Keys, configuration, logs, sockets or cloud resources readable or writable by more principals than "
        "necessary let local users, other containers or anonymous internet users read secrets or tamper with "
        "behaviour.",
        "Grant owner-only access to secrets and configuration, keep buckets and snapshots private (block public "
        "access), restrict policies to named principals, and check permissions in deployment tests.",
        permissionExamples, iacRefs);
}

// ---------------------------------------------------------------------------------------------
// Third-party code: vulnerable and unmaintained dependencies (SCA findings), untrusted sources.
// ---------------------------------------------------------------------------------------------
void supplyChain(Builder& b) {
  const std::vector<std::string> scaRefs = {cheatSheet("Vulnerable_Dependency_Management"), cheatSheet("NPM_Security")};
  const std::string scaWhy =
      "The application ships a third-party component with known vulnerabilities (or one that no longer gets "
      "fixes). Public advisories and often ready-made exploits exist, so the component is an easy way in; "
      "whether it is exploitable depends on whether the vulnerable function is reachable.";
  const std::string scaFix =
      "Upgrade to the nearest version that fixes the advisory (the finding names it; aspm offers it as a code "
      "action on the manifest), including transitive dependencies through overrides/resolutions or by "
      "upgrading the parent. Regenerate the lock file, run the tests, and rebuild images. If no fix exists, "
      "replace the component, or document why the vulnerable code is unreachable and add a compensating control "
      "with an expiry on the exception. Keep dependencies current with automated update PRs.";
  const std::vector<Example> scaExamples = {
      ex("json", R"~({
  "dependencies": { "lodash": "4.17.15" }
})~",
         R"~({
  "dependencies": { "lodash": "^4.17.21" },
  "overrides": { "minimist": "^1.2.8" }
})~"),
      ex("python", R"~(# requirements.txt
requests==2.19.0)~",
         R"~(# requirements.txt
requests==2.32.3  # fixes CVE-2018-18074 and later advisories)~"),
      ex("java", R"~(// build.gradle.kts
implementation("org.apache.logging.log4j:log4j-core:2.14.1"))~",
         R"~(// build.gradle.kts
implementation("org.apache.logging.log4j:log4j-core:2.17.1")  // fixes Log4Shell (CVE-2021-44228) and its follow-ups)~"),
      ex("go", R"~(require golang.org/x/net v0.7.0)~",
         R"~(require golang.org/x/net v0.33.0  // go get golang.org/x/net@latest && go mod tidy)~"),
      ex("yaml", R"~(containers:
  - name: web
    image: nginx:1.19)~",
         R"~(containers:
  - name: web
    image: nginx:1.27.3@sha256:...  # patched release, pinned by digest)~")};
  b.add(937, "OWASP Top Ten 2013 Category A9 - Using Components with Known Vulnerabilities", scaWhy, scaFix,
        scaExamples, scaRefs);
  b.add(1035, "OWASP Top Ten 2017 Category A9 - Using Components with Known Vulnerabilities", scaWhy, scaFix,
        scaExamples, scaRefs);
  b.add(1395, "Dependency on Vulnerable Third-Party Component", scaWhy, scaFix, scaExamples, scaRefs);
  b.add(1104, "Use of Unmaintained Third Party Components",
        "A dependency that is no longer maintained receives no security fixes: the next vulnerability found in "
        "it stays open, and it often pins other dependencies to old, vulnerable versions.",
        "Move to a maintained fork or an alternative library (or a built-in feature, such as Node's `fetch` for "
        "`request`), upgrade to "
        "the last maintained major version, or take ownership by vendoring with a named maintainer. Track "
        "project health (releases, open advisories) when choosing dependencies.",
        {ex("json", R"~({ "dependencies": { "request": "^2.88.2" } })~",
            R"~({ "dependencies": { "undici": "^6.21.0" } })~"),
         ex("python", R"~(# requirements.txt
pycrypto==2.6.1)~",
            R"~(# requirements.txt
pycryptodome==3.21.0  # maintained drop-in replacement)~")},
        scaRefs);
  b.add(494, "Download of Code Without Integrity Check",
        "Code fetched at build or run time (`curl | sh`, unpinned actions or images, plugins over HTTP) without "
        "verifying a checksum or signature runs whatever the server, a compromised mirror or a network attacker "
        "delivers.",
        "Pin what you download to an immutable version or digest and verify checksums or signatures before "
        "executing it: lock files with hashes, images by digest, GitHub Actions by commit SHA, and `sha256sum "
        "-c` for scripts and binaries.",
        {ex("bash", R"~(curl -fsSL https://example.com/install.sh | sh)~",
            R"~(curl -fsSLo install.sh https://example.com/install.sh
echo "3b1c...e9  install.sh" | sha256sum -c -
sh install.sh)~"),
         ex("yaml", R"~(- uses: some-org/deploy-action@main)~",
            R"~(- uses: some-org/deploy-action@8f4b7f84864484a7bf31766abe9204da3cbe65b3  # v3.1.0)~"),
         ex("python", R"~(pip install -r requirements.txt)~",
            R"~(pip install --require-hashes -r requirements.txt  # generated by pip-compile --generate-hashes)~")},
        {cheatSheet("Vulnerable_Dependency_Management"), cheatSheet("CI_CD_Security")});
  b.add(829, "Inclusion of Functionality from Untrusted Control Sphere",
        "Code loaded from a location an attacker can influence (a `require` path from input, a script from a "
        "third-party CDN without integrity, a plugin directory writable by others) runs with the application's "
        "privileges.",
        "Load code only from fixed, trusted locations: static import paths, pinned and integrity-checked "
        "third-party scripts (`integrity` + `crossorigin`), self-hosting where possible, and plugin directories "
        "writable only by the owner.",
        {ex("javascript", R"~(const plugin = require(`./plugins/${req.query.name}`);)~",
            R"~(const PLUGINS = { csv: require("./plugins/csv"), pdf: require("./plugins/pdf") };
const plugin = PLUGINS[req.query.name];
if (!plugin) return res.sendStatus(404);)~"),
         ex("php", R"~(include($_GET['page'] . '.php');)~", R"~($pages = ['home' => 'home.php', 'about' => 'about.php'];
include __DIR__ . '/pages/' . ($pages[$_GET['page'] ?? 'home'] ?? 'home.php');)~")},
        {cheatSheet("Third_Party_Javascript_Management")});
  b.add(830, "Inclusion of Web Functionality from an Untrusted Source",
        "A script included from a third-party domain runs with full access to your page: if that domain or CDN "
        "is compromised (as with polyfill.io), every visitor is attacked.",
        "Self-host third-party scripts, or pin them with Subresource Integrity (`integrity` and `crossorigin` "
        "attributes) and restrict script sources with a Content Security Policy.",
        {ex("javascript", R"~(const s = document.createElement("script");
s.src = "https://cdn.example.net/lib.js";
document.head.append(s);)~",
            R"~(const s = document.createElement("script");
s.src = "/vendor/lib-3.2.1.min.js";  // self-hosted; or set s.integrity + s.crossOrigin
document.head.append(s);)~")},
        {cheatSheet("Third_Party_Javascript_Management"), cheatSheet("Content_Security_Policy")});
}

// Names only: frequent in scanner output, but either categories or weaknesses whose tool help is
// all a hover needs. Kept so a hover never shows a bare number for them.
const std::vector<std::pair<int, std::string_view>> kExtraNames = {
    {11, "ASP.NET Misconfiguration: Creating Debug Binary"},
    {14, "Compiler Removal of Code to Clear Buffers"},
    {121, "Stack-based Buffer Overflow"},
    {122, "Heap-based Buffer Overflow"},
    {150, "Improper Neutralization of Escape, Meta, or Control Sequences"},
    {155, "Improper Neutralization of Wildcards or Matching Symbols"},
    {178, "Improper Handling of Case Sensitivity"},
    {183, "Permissive List of Allowed Inputs"},
    {184, "Incomplete List of Disallowed Inputs"},
    {192, "Integer Coercion Error"},
    {197, "Numeric Truncation Error"},
    {201, "Insertion of Sensitive Information Into Sent Data"},
    {248, "Uncaught Exception"},
    {264, "Permissions, Privileges, and Access Controls"},
    {266, "Incorrect Privilege Assignment"},
    {310, "Cryptographic Issues"},
    {320, "Key Management Errors"},
    {322, "Key Exchange without Entity Authentication"},
    {323, "Reusing a Nonce, Key Pair in Encryption"},
    {335, "Incorrect Usage of Seeds in Pseudo-Random Number Generator (PRNG)"},
    {337, "Predictable Seed in Pseudo-Random Number Generator (PRNG)"},
    {353, "Missing Support for Integrity Check"},
    {362, "Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')"},
    {367, "Time-of-check Time-of-use (TOCTOU) Race Condition"},
    {404, "Improper Resource Shutdown or Release"},
    {451, "User Interface (UI) Misrepresentation of Critical Information"},
    {466, "Return of Pointer Value Outside of Expected Range"},
    {471, "Modification of Assumed-Immutable Data (MAID)"},
    {501, "Trust Boundary Violation"},
    {523, "Unprotected Transport of Credentials"},
    {547, "Use of Hard-coded, Security-relevant Constants"},
    {563, "Assignment to Variable without Use"},
    {564, "SQL Injection: Hibernate"},
    {598, "Use of GET Request Method With Sensitive Query Strings"},
    {625, "Permissive Regular Expression"},
    {668, "Exposure of Resource to Wrong Sphere"},
    {672, "Operation on a Resource after Expiration or Release"},
    {704, "Incorrect Type Conversion or Cast"},
    {706, "Use of Incorrectly-Resolved Name or Reference"},
    {730, "OWASP Top Ten 2004 Category A9 - Denial of Service"},
    {749, "Exposed Dangerous Method or Function"},
    {754, "Improper Check for Unusual or Exceptional Conditions"},
    {772, "Missing Release of Resource after Effective Lifetime"},
    {778, "Insufficient Logging"},
    {780, "Use of RSA Algorithm without OAEP"},
    {807, "Reliance on Untrusted Inputs in a Security Decision"},
    {824, "Access of Uninitialized Pointer"},
    {825, "Expired Pointer Dereference"},
    {843, "Access of Resource Using Incompatible Type ('Type Confusion')"},
    {908, "Use of Uninitialized Resource"},
    {913, "Improper Control of Dynamically-Managed Code Resources"},
    {925, "Improper Verification of Intent by Broadcast Receiver"},
    {926, "Improper Export of Android Application Components"},
    {927, "Use of Implicit Intent for Sensitive Communication"},
    {939, "Improper Authorization in Handler for Custom URL Scheme"},
    {940, "Improper Verification of Source of a Communication Channel"},
    {1323, "Improper Management of Sensitive Trace Data"},
    {1325, "Improperly Controlled Sequential Memory Allocation"},
    {1339, "Insufficient Precision or Accuracy of a Real Number"},
};

}  // namespace

std::vector<Guidance> makeGuidance() {
  Builder b;
  injection(b);
  memory(b);
  crypto(b);
  web(b);
  privileges(b);
  supplyChain(b);
  return b.take();
}

std::vector<std::pair<int, std::string_view>> extraNames() {
  return kExtraNames;
}

}  // namespace aspm::remediation::detail
