; The namespaces and types a C# file imports and the variables whose declared type is known, for
; finding calls of a package's methods (mapping/reachability.h). @binding.source: the namespace
; (`using N.S;`), the type with @binding.static (`using static N.S.T;`) or the aliased name with
; @binding.local (`using A = N.S.T;`).
(using_directive !name "static"? @binding.static [(qualified_name) (identifier)] @binding.source)
(using_directive name: (identifier) @binding.local (qualified_name) @binding.source)
; @variable.name with @variable.type: the declared type (`T x`, `var x = new T()`); `var` without
; a constructor leaves the type unknown, which makes the name ambiguous.
(variable_declaration type: (_) @variable.type (variable_declarator name: (identifier) @variable.name))
(parameter type: (_) @variable.type name: (identifier) @variable.name)
(variable_declaration
  type: (implicit_type)
  (variable_declarator name: (identifier) @variable.name (object_creation_expression type: (_) @variable.type)))
(foreach_statement type: (_) @variable.type left: (identifier) @variable.name)
