; The names a Go file binds to imported packages, and the variables whose type (or constructor)
; comes from one, for finding calls of a package's functions and methods (mapping/reachability.h).
; @binding.source: the import path; @binding.local: the package's name in this file (absent: the
; name the path implies); @binding.dot: `import . "path"`. A blank import binds nothing.
(import_spec name: (package_identifier) @binding.local path: (interpreted_string_literal (interpreted_string_literal_content) @binding.source))
(import_spec name: (dot) @binding.dot path: (interpreted_string_literal (interpreted_string_literal_content) @binding.source))
(import_spec !name path: (interpreted_string_literal (interpreted_string_literal_content) @binding.source))
; @variable.name with @variable.type: a declared type (`var d yaml.Decoder`, `d *yaml.Decoder`), a
; composite literal (`&yaml.Decoder{}`) or the function whose result it holds (`yaml.NewDecoder(r)`);
; without @variable.type: a declaration whose type is not known here (it makes the name ambiguous).
(var_spec name: (identifier) @variable.name type: (_) @variable.type)
(var_spec name: (identifier) @variable.name)
(parameter_declaration name: (identifier) @variable.name type: (_) @variable.type)
(short_var_declaration
  left: (expression_list . (identifier) @variable.name)
  right: (expression_list . [(call_expression function: (selector_expression) @variable.type)
                             (composite_literal type: (qualified_type) @variable.type)
                             (unary_expression operand: (composite_literal type: (qualified_type) @variable.type))] .))
(short_var_declaration left: (expression_list (identifier) @variable.name))
(range_clause left: (expression_list (identifier) @variable.name))
