; The local names an import binds, for finding calls of a package's functions (mapping/reachability.h).
; @binding.source: the module; @binding.local: the name in this file; @binding.imported: the
; exported name it stands for (absent: the module itself, default or namespace).
(import_statement (import_clause (identifier) @binding.local) source: (string (string_fragment) @binding.source))
(import_statement (import_clause (namespace_import (identifier) @binding.local)) source: (string (string_fragment) @binding.source))
(import_statement
  (import_clause (named_imports (import_specifier name: (identifier) @binding.imported alias: (identifier)? @binding.local)))
  source: (string (string_fragment) @binding.source))
(variable_declarator
  name: (identifier) @binding.local
  value: (call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @binding.source)))
  (#eq? @_require "require"))
(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @binding.imported)
  value: (call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @binding.source)))
  (#eq? @_require "require"))
(variable_declarator
  name: (object_pattern (pair_pattern key: (property_identifier) @binding.imported value: (identifier) @binding.local))
  value: (call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @binding.source)))
  (#eq? @_require "require"))
