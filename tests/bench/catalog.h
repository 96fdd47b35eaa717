// Vocabulary for the benchmark SARIF generator: vulnerability topics, rule tables for the
// simulated tools, path words and code-line templates per language. Kept apart from the writer
// so the generator reads as "what a log looks like" and this file as "what it talks about".
// Everything here is constant data; randomness is applied by the generator with its seed.
#pragma once

#include <array>
#include <string_view>

namespace aspm::bench {

enum class Lang { Java, JavaScript, TypeScript, Python, Go, Config };

// One kind of weakness. Rules of every tool are derived from these, so the same CWE shows up
// in several tools, as it does in real multi-scanner repositories.
struct Topic {
  std::string_view slug;
  std::string_view title;
  std::string_view cwe;        // number only: "89"
  std::string_view severity;   // security-severity, as tools write it (a string)
  std::string_view level;      // default level
  std::string_view precision;
  std::string_view summary;
  std::string_view recommendation;
  std::string_view sinkNoun;   // "This <sinkNoun> depends on a user-provided value."
};

inline constexpr std::array<Topic, 40> kTopics = {{
    {"sql-injection", "Query built from user-controlled sources", "89", "8.8", "error", "high",
     "Building a SQL or Java Persistence query from user-controlled sources is vulnerable to insertion of malicious code by the user.",
     "Use a parameterized query or a prepared statement instead of building the query by string concatenation; never pass untrusted data to an API that executes it as SQL.",
     "query"},
    {"xss", "Cross-site scripting", "79", "6.1", "error", "high",
     "Writing user input directly to a web page allows for a cross-site scripting vulnerability.",
     "Encode or sanitize every value that comes from the user before it is written to the page, using the encoder of the template engine or a vetted library.",
     "page fragment"},
    {"path-injection", "Uncontrolled data used in path expression", "22", "7.5", "error", "high",
     "Accessing paths influenced by users can allow an attacker to access unexpected resources.",
     "Validate user input before using it to construct a file path: normalize it, check that it stays below a safe root folder, or map user input to a fixed list of allowed files.",
     "path"},
    {"command-line-injection", "Uncontrolled command line", "78", "9.8", "error", "high",
     "Using externally controlled strings in a command line is vulnerable to malicious changes in the strings.",
     "Avoid passing user input to a shell. Call the program directly with an argument vector, and check every argument against an allow-list of expected values.",
     "command"},
    {"code-injection", "Code injection", "94", "9.3", "error", "high",
     "Interpreting unsanitized user input as code allows a malicious user arbitrary code execution.",
     "Do not evaluate user input as code. If dynamic behaviour is needed, map the input to a fixed set of functions.",
     "code"},
    {"ssrf", "Server-side request forgery", "918", "9.1", "error", "high",
     "Making a network request with user-controlled data in the URL allows for request forgery attacks.",
     "Restrict the hosts and paths the server may contact; resolve and check the target address against an allow-list before sending the request.",
     "URL of the request"},
    {"xxe", "Resolving XML external entity in user-controlled data", "611", "9.1", "error", "high",
     "Parsing user input as an XML document with external entity expansion is vulnerable to XXE attacks.",
     "Disable DTDs and external entity resolution on the parser before parsing any document that comes from outside the process.",
     "XML parser"},
    {"unsafe-deserialization", "Deserialization of user-controlled data", "502", "9.8", "error", "high",
     "Deserializing user-controlled data may allow attackers to execute arbitrary code.",
     "Never deserialize untrusted data with a format that can instantiate arbitrary types; use a data-only format such as JSON with an explicit schema.",
     "deserialization"},
    {"url-redirection", "URL redirection from remote source", "601", "6.1", "error", "high",
     "URL redirection based on unvalidated user input may cause redirection to malicious web sites.",
     "Redirect only to relative paths or to hosts on an allow-list; never use the raw value of a request parameter as a redirect target.",
     "redirect"},
    {"log-injection", "Log entries created from user input", "117", "7.8", "error", "medium",
     "Building log entries from user-controlled sources is vulnerable to insertion of forged log entries by a malicious user.",
     "Remove line breaks and other control characters from user input before logging it, or use a structured logging format.",
     "log entry"},
    {"hardcoded-credentials", "Hard-coded credentials", "798", "9.8", "error", "medium",
     "Credentials are hard coded in the source code of the application.",
     "Load credentials from a secret store or the environment at run time and rotate the credentials that were committed.",
     "credential"},
    {"weak-cryptographic-algorithm", "Use of a broken or risky cryptographic algorithm", "327", "7.5", "warning", "high",
     "Using broken or weak cryptographic algorithms can allow an attacker to compromise security.",
     "Use a modern algorithm such as AES-GCM for encryption and SHA-256 or better for hashing.",
     "cipher"},
    {"insecure-randomness", "Insecure randomness", "338", "7.8", "warning", "high",
     "Using a cryptographically weak pseudo-random number generator to generate a security-sensitive value may allow an attacker to predict what value will be generated.",
     "Use a cryptographically secure random number generator for tokens, keys and identifiers.",
     "random value"},
    {"polynomial-redos", "Polynomial regular expression used on uncontrolled data", "1333", "7.5", "warning", "high",
     "A regular expression that can require polynomial time to match may be vulnerable to denial-of-service attacks.",
     "Rewrite the regular expression so that it cannot backtrack, or bound the length of the input it is applied to.",
     "regular expression"},
    {"regex-injection", "Regular expression injection", "730", "7.5", "error", "high",
     "User input should not be used in regular expressions without first being escaped, otherwise a malicious user may be able to inject an expression that could require exponential time on certain inputs.",
     "Escape user input before it is included in a regular expression.",
     "regular expression"},
    {"clear-text-logging", "Clear-text logging of sensitive information", "312", "7.5", "error", "high",
     "Logging sensitive information without encryption or hashing can expose it to an attacker.",
     "Do not log passwords, tokens or personal data; log an opaque identifier instead.",
     "log entry"},
    {"clear-text-storage", "Clear-text storage of sensitive information", "312", "7.5", "error", "medium",
     "Sensitive information stored without encryption or hashing can expose it to an attacker.",
     "Encrypt sensitive data at rest, or store a salted hash when the value only needs to be compared.",
     "stored value"},
    {"insecure-cookie", "Failure to use secure cookies", "614", "5.0", "warning", "high",
     "Sending cookies without the 'Secure' flag can cause them to be transmitted in clear text.",
     "Set the 'Secure' and 'HttpOnly' attributes on every cookie that carries session state.",
     "cookie"},
    {"missing-csrf-protection", "Missing cross-site request forgery protection", "352", "8.8", "error", "high",
     "Disabling or not enabling CSRF protection may allow an attacker to perform actions on behalf of an authenticated user.",
     "Enable the framework's CSRF middleware and require a token on every state-changing request.",
     "request handler"},
    {"ldap-injection", "LDAP query built from user-controlled sources", "90", "9.8", "error", "high",
     "Building an LDAP query from user-controlled sources is vulnerable to insertion of malicious LDAP code by the user.",
     "Escape user input with the LDAP filter encoder of your library before adding it to a filter.",
     "LDAP query"},
    {"xpath-injection", "XPath injection", "643", "9.8", "error", "high",
     "Building an XPath expression from user-controlled sources is vulnerable to insertion of malicious code by the user.",
     "Use parameterized XPath expressions with variable resolvers instead of string concatenation.",
     "XPath expression"},
    {"zipslip", "Arbitrary file access during archive extraction (\"Zip Slip\")", "22", "7.5", "error", "high",
     "Extracting files from a malicious ZIP file, or similar type of archive, without validating that the destination file path is within the destination directory can allow files outside the destination directory to be overwritten.",
     "Normalize each entry's destination path and check that it starts with the destination directory before writing.",
     "archive entry"},
    {"stack-trace-exposure", "Information exposure through a stack trace", "209", "5.4", "error", "high",
     "Propagating stack trace information to an external user can unintentionally reveal implementation details that are useful to an attacker for developing a subsequent exploit.",
     "Log the stack trace on the server and send the user a generic error message.",
     "error response"},
    {"tainted-format-string", "Use of externally-controlled format string", "134", "7.3", "warning", "high",
     "Using external input in format strings can lead to garbled output.",
     "Pass user input as an argument to a constant format string, never as the format string itself.",
     "format string"},
    {"prototype-pollution", "Prototype-polluting assignment", "1321", "6.1", "warning", "high",
     "Modifying an object obtained via a user-controlled property name may lead to accidental mutation of the built-in Object prototype, and possibly escalate to remote code execution or cross-site scripting.",
     "Use a Map instead of a plain object for user-controlled keys, or reject the keys __proto__, constructor and prototype.",
     "property assignment"},
    {"missing-origin-check", "Missing origin verification in postMessage handler", "20", "5.0", "warning", "medium",
     "Missing origin verification in a postMessage handler allows any window to send arbitrary data to the handler.",
     "Compare event.origin against the expected origins before using event.data.",
     "message handler"},
    {"disabled-certificate-validation", "Disabling certificate validation", "295", "7.5", "error", "high",
     "Disabling cryptographic certificate validation can cause security vulnerabilities.",
     "Keep certificate validation enabled; install the internal CA in the trust store instead of turning validation off.",
     "TLS configuration"},
    {"jwt-missing-verification", "JWT missing secret or public key verification", "347", "7.0", "error", "high",
     "The application does not verify the signature of a JSON Web Token before trusting its claims.",
     "Verify the token's signature with a fixed algorithm and key before reading any claim.",
     "token"},
    {"mass-assignment", "Mass assignment of request fields", "915", "7.4", "warning", "medium",
     "Binding every field of a request to a persistent object lets a user overwrite fields that are not meant to be writable, such as roles or prices.",
     "Bind requests to a dedicated input type that lists the writable fields explicitly.",
     "model binding"},
    {"template-injection", "Server-side template injection", "1336", "9.3", "error", "high",
     "Rendering a template built from user input lets the user execute code in the template engine.",
     "Pass user input to templates as data only; never build the template source from a request.",
     "template"},
    {"nosql-injection", "Database query built from user-controlled sources (NoSQL)", "943", "8.8", "error", "high",
     "Building a database query from user-controlled objects is vulnerable to insertion of query operators by the user.",
     "Check that each query value is a primitive of the expected type before it is used in a query document.",
     "query"},
    {"header-injection", "HTTP response splitting", "113", "6.1", "error", "high",
     "Writing user input directly to an HTTP header makes code vulnerable to attack by header splitting.",
     "Reject or strip carriage return and line feed characters from values written to headers.",
     "header"},
    {"integer-overflow", "User-controlled data in arithmetic expression", "190", "8.6", "warning", "medium",
     "Arithmetic operations on user-controlled data that is not validated can cause overflows.",
     "Validate the range of user input before using it in arithmetic, or use checked arithmetic.",
     "arithmetic expression"},
    {"sensitive-get-query", "Sensitive data read from GET request", "598", "6.5", "warning", "high",
     "Placing sensitive data in a GET request increases the risk of its exposure in logs and browser history.",
     "Send credentials and tokens in the body of a POST request or in a header.",
     "request parameter"},
    {"incomplete-sanitization", "Incomplete string escaping or encoding", "116", "7.8", "warning", "high",
     "A string transformer that does not replace or escape all occurrences of a meta-character may be ineffective.",
     "Use a well-tested sanitization library, or replace all occurrences with a global regular expression.",
     "sanitizer"},
    {"hardcoded-key", "Hard-coded cryptographic key", "321", "8.1", "error", "medium",
     "A cryptographic key embedded in the source code can be extracted by anyone who can read the code or the binary.",
     "Generate keys at deployment time and load them from a key management service.",
     "key"},
    {"permissive-cors", "Permissive CORS configuration", "942", "7.5", "warning", "medium",
     "A CORS policy that reflects any origin with credentials allows other sites to read authenticated responses.",
     "List the allowed origins explicitly and never combine a wildcard origin with credentials.",
     "CORS policy"},
    {"missing-rate-limiting", "Missing rate limiting", "770", "7.5", "warning", "high",
     "An HTTP request handler that performs expensive operations without rate limiting is open to denial of service.",
     "Apply a rate limiter to handlers that touch the file system, the database or external services.",
     "request handler"},
    {"unsafe-reflection", "Use of externally-controlled input to select classes or code", "470", "8.1", "error", "medium",
     "Using user input to choose the class or method that is instantiated or called can let a user run unexpected code.",
     "Map user input to a fixed table of allowed classes instead of loading classes by name.",
     "reflective call"},
    {"race-condition-file", "Time-of-check time-of-use race condition on a file", "367", "7.0", "warning", "medium",
     "Checking a file's status and then using it opens a window in which another process can replace the file.",
     "Open the file once and make all checks on the open handle.",
     "file operation"},
}};

// Semgrep-style "language.framework" prefixes; which topics apply is decided by the seed.
struct Framework {
  std::string_view prefix;
  Lang lang;
};
inline constexpr std::array<Framework, 9> kSemgrepFrameworks = {{
    {"python.django", Lang::Python}, {"python.flask", Lang::Python}, {"javascript.express", Lang::JavaScript},
    {"javascript.browser", Lang::JavaScript}, {"typescript.react", Lang::TypeScript},
    {"java.spring", Lang::Java}, {"java.servlets", Lang::Java}, {"go.net-http", Lang::Go}, {"go.gorm", Lang::Go},
}};

// Configuration checks (Dockerfile, Kubernetes, Terraform) Semgrep ships too.
struct ConfigRule {
  std::string_view id;
  std::string_view title;
  std::string_view cwe;
  std::string_view severity;
  std::string_view message;
};
inline constexpr std::array<ConfigRule, 10> kConfigRules = {{
    {"dockerfile.security.missing-user.missing-user", "Container runs as root", "250", "5.3",
     "By not specifying a USER, a program in the container may run as 'root'. This is a security hazard. If an attacker can control a process running as root, they may have control over the container. Ensure that the last USER in a Dockerfile is a USER other than 'root'."},
    {"dockerfile.security.last-user-is-root.last-user-is-root", "Last USER is root", "269", "5.3",
     "The last user in the container is 'root'. This is a security hazard because if an attacker gains control of the container they will have root access. Switch back to another user after running commands as 'root'."},
    {"yaml.kubernetes.security.privileged-container.privileged-container", "Privileged container", "250", "7.2",
     "Container or pod is running in privileged mode. This grants the container the equivalent of root capabilities on the host machine. This can lead to container escapes, privilege escalation, and other security concerns. Remove the 'privileged' key to disable this capability."},
    {"yaml.kubernetes.security.run-as-non-root.run-as-non-root", "Container may run as root", "250", "5.3",
     "When running containers in Kubernetes, it's important to ensure that they are properly secured to prevent privilege escalation attacks. Set 'runAsNonRoot: true' in the securityContext."},
    {"yaml.kubernetes.security.allow-privilege-escalation.allow-privilege-escalation", "Privilege escalation allowed", "732", "6.0",
     "In Kubernetes, each pod runs in its own isolated environment with its own set of security policies. Set 'allowPrivilegeEscalation: false' in the securityContext to prevent a process from gaining more privileges than its parent."},
    {"terraform.aws.security.aws-s3-bucket-public-read.aws-s3-bucket-public-read", "S3 bucket is publicly readable", "284", "7.5",
     "The S3 bucket ACL grants read access to everyone. Anyone on the internet can list and read the objects in this bucket. Remove the public-read ACL and use bucket policies scoped to known principals."},
    {"terraform.aws.security.aws-insecure-tls.aws-insecure-tls", "Load balancer accepts outdated TLS", "326", "7.4",
     "The load balancer listener uses a TLS policy that allows TLS 1.0 and 1.1. Use ELBSecurityPolicy-TLS13-1-2-2021-06 or newer."},
    {"terraform.aws.security.unencrypted-ebs-volume.unencrypted-ebs-volume", "EBS volume is not encrypted", "311", "5.5",
     "An EBS volume is configured without encryption. Set 'encrypted = true' so data at rest is protected."},
    {"generic.secrets.security.detected-private-key.detected-private-key", "Private key committed", "798", "8.4",
     "Private Key detected. This is a sensitive credential and should not be hardcoded here. Instead, store this in a separate, private file."},
    {"generic.ci.security.github-actions-script-injection.run-shell-injection", "Script injection in workflow", "78", "9.0",
     "Using variable interpolation `${{...}}` with `github` context data in a `run:` step could allow an attacker to inject their own code into the runner. Use an intermediate environment variable instead."},
}};

// ESLint rules: a security plugin's rules, React/DOM checks, and plain quality rules (no CWE).
struct LintRule {
  std::string_view id;
  std::string_view description;
  std::string_view cwe;       // "" for quality rules
  std::string_view severity;  // "" for quality rules
  std::string_view message;   // may contain {0}
};
inline constexpr std::array<LintRule, 45> kLintRules = {{
    {"security/detect-child-process", "Detects instances of child_process & non-literal exec()", "78", "8.1", "Found {0} with non Literal first argument"},
    {"security/detect-eval-with-expression", "Detects eval(variable) which can allow an attacker to run arbitrary code inside your process", "95", "8.8", "eval with argument of type {0}"},
    {"security/detect-non-literal-fs-filename", "Detects variable in filename argument of fs calls, which might allow an attacker to access anything on your system", "22", "6.5", "Found {0} from package \"fs\" with non literal argument at index 0"},
    {"security/detect-non-literal-regexp", "Detects RegExp(variable), which might allow an attacker to DOS your server with a long-running regular expression", "1333", "5.3", "Found non-literal argument to RegExp Constructor"},
    {"security/detect-non-literal-require", "Detects require(variable), which might allow an attacker to load and run arbitrary code, or access arbitrary files on disk", "706", "6.3", "Found non-literal argument in require"},
    {"security/detect-object-injection", "Detects \"variable[key]\" as a left- or right-hand assignment operand", "915", "5.6", "Generic Object Injection Sink"},
    {"security/detect-possible-timing-attacks", "Detects insecure comparisons (==, !=, !== and ===), which check input sequentially", "208", "5.9", "Potential timing attack, {0} side"},
    {"security/detect-pseudoRandomBytes", "Detects if pseudoRandomBytes() is in use, which might allow an attacker to predict the generated values", "338", "6.5", "Found crypto.pseudoRandomBytes which does not produce cryptographically strong numbers"},
    {"security/detect-unsafe-regex", "Detects potentially unsafe regular expressions, which may take a very long time to run, blocking the event loop", "1333", "7.5", "Unsafe Regular Expression"},
    {"security/detect-buffer-noassert", "Detects calls to buffer with noAssert flag set", "120", "5.9", "Found Buffer.{0} with noAssert flag set true"},
    {"security/detect-disable-mustache-escape", "Detects object.escapeMarkup = false, which can be used with some template engines to disable escaping of HTML entities", "79", "6.1", "Markup escaping disabled."},
    {"security/detect-new-buffer", "Detects instances of new Buffer(argument) where argument is any non-literal value", "119", "5.3", "Found new Buffer"},
    {"security/detect-no-csrf-before-method-override", "Detects Express csrf middleware setup before method-override middleware", "352", "8.8", "express.csrf() middleware found before express.methodOverride()"},
    {"security/detect-bidi-characters", "Detects trojan source attacks that employ unicode bidi attacks to inject malicious code", "451", "5.0", "Detected potential trojan source attack with unicode bidi introduced in this {0}: '{1}'."},
    {"no-eval", "Disallow the use of eval()", "95", "8.8", "eval can be harmful."},
    {"no-implied-eval", "Disallow the use of eval()-like methods", "95", "8.1", "Implied eval. Consider passing a function instead of a string."},
    {"no-new-func", "Disallow new operators with the Function object", "95", "7.5", "The Function constructor is eval."},
    {"no-script-url", "Disallow javascript: urls", "79", "6.1", "Script URL is a form of eval."},
    {"react/no-danger", "Disallow usage of dangerous JSX properties", "79", "6.1", "Do not use {0}"},
    {"react/no-danger-with-children", "Disallow when a DOM element is using both children and dangerouslySetInnerHTML", "79", "5.4", "Only set one of `children` or `props.dangerouslySetInnerHTML`"},
    {"react/jsx-no-target-blank", "Disallow target=\"_blank\" attribute without rel=\"noreferrer\"", "1022", "4.3", "Using target=\"_blank\" without rel=\"noreferrer\" (which implies rel=\"noopener\") is a security risk in older browsers: see https://mathiasbynens.github.io/rel-noopener/#recommendations"},
    {"react/jsx-no-script-url", "Disallow usage of `javascript:` URLs", "79", "6.1", "A future version of React will block javascript: URLs. Use event handlers instead if you can."},
    {"no-unsanitized/method", "Disallow unsanitized method calls", "79", "6.1", "Unsafe call to {0} for argument 0"},
    {"no-unsanitized/property", "Disallow unsanitized property assignment", "79", "6.1", "Unsafe assignment to {0}"},
    {"no-unused-vars", "Disallow unused variables", "", "", "'{0}' is assigned a value but never used."},
    {"eqeqeq", "Require the use of === and !==", "", "", "Expected '===' and instead saw '=='."},
    {"no-undef", "Disallow the use of undeclared variables unless mentioned in /*global */ comments", "", "", "'{0}' is not defined."},
    {"prefer-const", "Require const declarations for variables that are never reassigned after declared", "", "", "'{0}' is never reassigned. Use 'const' instead."},
    {"no-console", "Disallow the use of console", "", "", "Unexpected console statement."},
    {"no-debugger", "Disallow the use of debugger", "", "", "Unexpected 'debugger' statement."},
    {"no-empty", "Disallow empty block statements", "", "", "Empty block statement."},
    {"no-fallthrough", "Disallow fallthrough of case statements", "", "", "Expected a 'break' statement before 'case'."},
    {"no-prototype-builtins", "Disallow calling some Object.prototype methods directly on objects", "", "", "Do not access Object.prototype method '{0}' from target object."},
    {"no-useless-escape", "Disallow unnecessary escape characters", "", "", "Unnecessary escape character: \\{0}."},
    {"no-var", "Require let or const instead of var", "", "", "Unexpected var, use let or const instead."},
    {"curly", "Enforce consistent brace style for all control statements", "", "", "Expected { after 'if' condition."},
    {"no-shadow", "Disallow variable declarations from shadowing variables declared in the outer scope", "", "", "'{0}' is already declared in the upper scope on line {1} column 7."},
    {"@typescript-eslint/no-explicit-any", "Disallow the any type", "", "", "Unexpected any. Specify a different type."},
    {"@typescript-eslint/no-floating-promises", "Require Promise-like statements to be handled appropriately", "", "", "Promises must be awaited, end with a call to .catch, or end with a call to .then with a rejection handler."},
    {"@typescript-eslint/no-unsafe-assignment", "Disallow assigning a value with type any to variables and properties", "", "", "Unsafe assignment of an `any` value."},
    {"@typescript-eslint/no-non-null-assertion", "Disallow non-null assertions using the ! postfix operator", "", "", "Forbidden non-null assertion."},
    {"import/no-cycle", "Forbid a module from importing a module with a dependency path back to itself", "", "", "Dependency cycle via {0}"},
    {"react-hooks/exhaustive-deps", "Verify the list of the dependencies for Hooks like useEffect and similar", "", "", "React Hook useEffect has a missing dependency: '{0}'. Either include it or remove the dependency array."},
    {"react-hooks/rules-of-hooks", "Enforce Rules of Hooks", "", "", "React Hook \"{0}\" is called conditionally. React Hooks must be called in the exact same order in every component render."},
    {"unicorn/prefer-module", "Prefer JavaScript modules (ESM) over CommonJS", "", "", "Do not use \"{0}\"."},
}};

// Secret scanner rules (all CWE-798).
inline constexpr std::array<std::string_view, 15> kSecretRules = {
    "aws-access-token", "github-pat", "github-oauth", "gitlab-pat", "slack-bot-token", "slack-webhook-url",
    "stripe-access-token", "private-key", "generic-api-key", "jwt", "gcp-api-key", "sendgrid-api-token",
    "twilio-api-key", "npm-access-token", "heroku-api-key",
};

// Words for paths and identifiers.
inline constexpr std::array<std::string_view, 24> kModules = {
    "accounts", "admin", "analytics", "audit", "auth", "billing", "catalog", "checkout", "gateway", "inventory",
    "media", "notifications", "orders", "payments", "profile", "reporting", "scheduler", "search", "shipping",
    "support", "users", "webhooks", "export", "pricing"};
inline constexpr std::array<std::string_view, 28> kNouns = {
    "User", "Account", "Invoice", "Order", "Payment", "Session", "Token", "Report", "Product", "Cart",
    "Customer", "Address", "Message", "Upload", "Document", "Export", "Import", "Config", "Template", "Webhook",
    "Search", "Audit", "Role", "Permission", "Coupon", "Refund", "Subscription", "Tenant"};
inline constexpr std::array<std::string_view, 12> kJavaSuffixes = {
    "Controller", "Service", "Repository", "Handler", "Util", "Helper", "Manager", "Factory", "Validator",
    "Mapper", "Client", "Resource"};
inline constexpr std::array<std::string_view, 10> kLayers = {
    "controller", "service", "repository", "model", "util", "api", "handler", "dto", "security", "config"};
inline constexpr std::array<std::string_view, 16> kVars = {
    "userId", "accountId", "filename", "redirectUrl", "searchTerm", "payload", "cmd", "token", "orderId",
    "comment", "email", "templateName", "target", "query", "host", "callback"};
inline constexpr std::array<std::string_view, 10> kParams = {"id", "file", "next", "q", "name", "url", "sort",
                                                              "page", "user", "redirect"};
inline constexpr std::array<std::string_view, 7> kTables = {"users", "accounts", "orders", "invoices",
                                                             "sessions", "products", "audit_log"};

// Code lines per language; {v} a variable, {p} a request parameter, {t} a table.
inline constexpr std::array<std::string_view, 8> kJavaLines = {
    "String query = \"SELECT * FROM {t} WHERE id = '\" + {v} + \"'\";",
    "ResultSet rs = stmt.executeQuery(query);",
    "response.getWriter().println(\"<div class=\\\"result\\\">\" + {v} + \"</div>\");",
    "File target = new File(uploadDir, request.getParameter(\"{p}\"));",
    "Process p = Runtime.getRuntime().exec(\"sh -c \" + {v});",
    "log.info(\"Request for {p}=\" + request.getParameter(\"{p}\"));",
    "String {v} = request.getParameter(\"{p}\");",
    "response.sendRedirect(request.getParameter(\"{p}\"));"};
inline constexpr std::array<std::string_view, 8> kJsLines = {
    "const {v} = req.query.{p};",
    "res.send('<h1>Results for ' + {v} + '</h1>');",
    "db.query(`SELECT * FROM {t} WHERE id = ${{v}}`, (err, rows) => {",
    "child_process.exec('convert ' + {v} + ' out.png', done);",
    "fs.readFile(path.join(__dirname, 'uploads', req.params.{p}), 'utf8', cb);",
    "res.redirect(req.query.{p});",
    "element.innerHTML = {v};",
    "const re = new RegExp('^' + {v} + '$');"};
inline constexpr std::array<std::string_view, 8> kPyLines = {
    "cursor.execute(\"SELECT * FROM {t} WHERE name = '%s'\" % {v})",
    "return render_template_string(\"<p>\" + {v} + \"</p>\")",
    "subprocess.call({v}, shell=True)",
    "data = pickle.loads(request.data)",
    "with open(os.path.join(UPLOAD_DIR, {v})) as fh:",
    "{v} = request.args.get(\"{p}\")",
    "return redirect(request.args.get(\"{p}\"))",
    "logger.info(\"login attempt for %s\" % {v})"};
inline constexpr std::array<std::string_view, 8> kGoLines = {
    "rows, err := db.Query(\"SELECT * FROM {t} WHERE id = \" + {v})",
    "cmd := exec.Command(\"sh\", \"-c\", {v})",
    "http.Redirect(w, r, r.URL.Query().Get(\"{p}\"), http.StatusFound)",
    "{v} := r.URL.Query().Get(\"{p}\")",
    "f, err := os.Open(filepath.Join(baseDir, {v}))",
    "fmt.Fprintf(w, \"<p>%s</p>\", {v})",
    "tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}",
    "log.Printf(\"token=%s\", {v})"};
inline constexpr std::array<std::string_view, 6> kConfigLines = {
    "CMD [\"node\", \"server.js\"]",
    "        privileged: true",
    "  acl    = \"public-read\"",
    "        allowPrivilegeEscalation: true",
    "  encrypted = false",
    "      run: echo \"${{ github.event.pull_request.title }}\""};

}  // namespace aspm::bench
