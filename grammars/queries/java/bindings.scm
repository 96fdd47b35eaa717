; The names a Java file imports and the variables whose declared type is known, for finding calls
; of a package's methods (mapping/reachability.h). @binding.source: the imported name
; (`com.x.Foo`, `com.x.Foo.bar` with @binding.static, `com.x` with @binding.wildcard).
(import_declaration "static"? @binding.static (scoped_identifier) @binding.source (asterisk)? @binding.wildcard)
; @variable.name with @variable.type: the declared type (`Foo f`, `Foo<T> f`, `var f = new Foo()`);
; `var` without a constructor leaves the type unknown, which makes the name ambiguous.
(local_variable_declaration type: (_) @variable.type declarator: (variable_declarator name: (identifier) @variable.name))
(field_declaration type: (_) @variable.type declarator: (variable_declarator name: (identifier) @variable.name))
(formal_parameter type: (_) @variable.type name: (identifier) @variable.name)
(enhanced_for_statement type: (_) @variable.type name: (identifier) @variable.name)
(catch_formal_parameter name: (identifier) @variable.name)
(lambda_expression parameters: (identifier) @variable.name)
(inferred_parameters (identifier) @variable.name)
(local_variable_declaration
  type: (type_identifier) @_var
  declarator: (variable_declarator name: (identifier) @variable.name value: (object_creation_expression type: (_) @variable.type))
  (#eq? @_var "var"))
