; Web route registrations (mapping/routes.h): Flask `@app.route('/x', methods=[...])`,
; `@bp.get('/x')`, FastAPI `@app.get("/items/{id}")`, on the function that handles them.
(decorated_definition
  (decorator
    (call
      function: (attribute object: (_) @route.object attribute: (identifier) @route.verb)
      arguments: (argument_list . (string (string_content) @route.path)) @route.args))
  definition: (function_definition name: (identifier) @route.handler)) @route

; Where a blueprint's or router's prefix comes from (mapping/routes.cpp resolves them across
; modules): `bp = Blueprint(..., url_prefix='/users')`, `router = APIRouter(prefix='/items')`,
; `API = '/api'`, `app.register_blueprint(bp, url_prefix='/api')`, `app.include_router(items.router,
; prefix='/api')`, `from .routers import items`, and the functions that return an app or router.
(assignment left: (identifier) @define.name right: (_) @define.value) @define
(call
  function: (attribute object: (_) @mount.object attribute: (identifier) @mount.verb)
  arguments: (argument_list) @mount.args
  (#any-of? @mount.verb "register_blueprint" "include_router")) @mount
(import_from_statement module_name: (_) @import.source name: (dotted_name) @import.member) @import
(import_from_statement
  module_name: (_) @import.source
  name: (aliased_import name: (dotted_name) @import.member alias: (identifier) @import.name)) @import
(function_definition name: (identifier) @function.name) @function
(return_statement (identifier) @return.name) @return
