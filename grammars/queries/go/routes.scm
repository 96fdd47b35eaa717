; Web route registrations (mapping/routes.h): net/http `http.HandleFunc("/x", h)`,
; `mux.HandleFunc("GET /users/{id}", h)`, and chi/gin/echo style `r.Get("/x", h)`.
(call_expression
  function: (selector_expression operand: (_) @route.object field: (field_identifier) @route.verb)
  arguments: (argument_list . [(interpreted_string_literal) (raw_string_literal)] @route.path)) @route
