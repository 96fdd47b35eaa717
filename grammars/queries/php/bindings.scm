; The names a PHP file imports with `use` and the variables whose class is known, for finding calls
; of a package's methods (mapping/reachability.h). @binding: the whole declaration (`use function`
; imports a function, not a class); @binding.source: the imported name; @binding.prefix: a group
; use's common namespace; @binding.local: the alias.
(namespace_use_declaration !body (namespace_use_clause . [(name) (qualified_name)] @binding.source alias: (name)? @binding.local)) @binding
(namespace_use_declaration
  (namespace_name) @binding.prefix
  body: (namespace_use_group (namespace_use_clause . [(name) (qualified_name)] @binding.source alias: (name)? @binding.local))) @binding
; @variable.name with @variable.type: `$c = new Client()`, `$this->c = new Client()`, `Client $c`
; parameters; without @variable.type: an assignment of something else (the name is then ambiguous).
(assignment_expression left: [(variable_name) (member_access_expression)] @variable.name
  right: (object_creation_expression . [(name) (qualified_name)] @variable.type))
(assignment_expression left: [(variable_name) (member_access_expression)] @variable.name)
(simple_parameter type: (named_type [(name) (qualified_name)] @variable.type) name: (variable_name) @variable.name)
(simple_parameter name: (variable_name) @variable.name)
