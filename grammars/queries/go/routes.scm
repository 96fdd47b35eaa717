; Web route registrations (mapping/routes.h): net/http `http.HandleFunc("/x", h)`,
; `mux.HandleFunc("GET /users/{id}", h)`, and chi/gin/echo style `r.Get("/x", h)`.
(call_expression
  function: (selector_expression operand: (_) @route.object field: (field_identifier) @route.verb)
  arguments: (argument_list . [(interpreted_string_literal) (raw_string_literal)] @route.path)) @route

; Where a router's prefix comes from (mapping/routes.cpp): chi `r.Route("/api", func(r
; chi.Router) {...})`, `r.Group(func(r chi.Router) {...})`, `r.Mount("/admin", adminRouter())`,
; gin/echo `v1 := r.Group("/v1")`, constructors (`r := chi.NewRouter()`), string constants, and
; the functions that return a router.
(short_var_declaration
  left: (expression_list . (identifier) @define.name)
  right: (expression_list . (_) @define.value)) @define
(var_spec name: (identifier) @define.name value: (expression_list . (_) @define.value)) @define
(const_spec name: (identifier) @define.name value: (expression_list . (_) @define.value)) @define
(assignment_statement
  left: (expression_list . (identifier) @define.name)
  right: (expression_list . (_) @define.value)) @define
(call_expression
  function: (selector_expression operand: (_) @mount.object field: (field_identifier) @mount.verb)
  arguments: (argument_list) @mount.args
  (#eq? @mount.verb "Mount")) @mount
(call_expression
  function: (selector_expression operand: (_) @mount.object field: (field_identifier) @mount.verb)
  arguments: (argument_list
    (func_literal
      parameters: (parameter_list . (parameter_declaration name: (identifier) @mount.param))) @mount.scope) @mount.args
  (#any-of? @mount.verb "Route" "Group")) @mount
(function_declaration name: (identifier) @function.name) @function
(method_declaration name: (field_identifier) @function.name) @function
(func_literal) @function
(return_statement (expression_list . (identifier) @return.name)) @return
