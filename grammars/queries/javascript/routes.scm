; Web route registrations (mapping/routes.h): Express, Koa-router, Fastify and Hono style
; `app.get('/users/:id', handler)`. The code decides which verbs are routes.
(call_expression
  function: (member_expression object: (_) @route.object property: (property_identifier) @route.verb)
  arguments: (arguments . (string (string_fragment) @route.path))) @route

; Where a router's prefix comes from (mapping/routes.cpp resolves them across files): variables
; bound to a call or a string (`const router = express.Router()`, `const users =
; require('./routes/users')`, `const API = '/api'`), mounts (`app.use('/api', router)`), default
; imports, default exports, and the functions and returns that hand a router back.
(variable_declarator name: (identifier) @define.name value: (_) @define.value) @define
(call_expression
  function: (member_expression object: (_) @mount.object property: (property_identifier) @mount.verb)
  arguments: (arguments) @mount.args
  (#eq? @mount.verb "use")) @mount
(import_statement (import_clause (identifier) @import.name) source: (string (string_fragment) @import.source)) @import
(import_statement
  (import_clause (named_imports (import_specifier) @import.specifier))
  source: (string (string_fragment) @import.source)) @import
(assignment_expression
  left: (member_expression object: (identifier) @_module property: (property_identifier) @_exports)
  right: (identifier) @export.name
  (#eq? @_module "module") (#eq? @_exports "exports")) @export
(export_statement value: (identifier) @export.name) @export
(function_declaration name: (identifier) @function.name) @function
(arrow_function) @function
(function_expression) @function
(return_statement (identifier) @return.name) @return
