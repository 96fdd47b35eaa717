; Web route registrations (mapping/routes.h): Flask `@app.route('/x', methods=[...])`,
; `@bp.get('/x')`, FastAPI `@app.get("/items/{id}")`, on the function that handles them.
(decorated_definition
  (decorator
    (call
      function: (attribute object: (_) @route.object attribute: (identifier) @route.verb)
      arguments: (argument_list . (string (string_content) @route.path)) @route.args))
  definition: (function_definition name: (identifier) @route.handler)) @route
