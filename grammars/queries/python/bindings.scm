; The local names an import binds, for finding calls of a package's functions (mapping/reachability.h).
; @binding.source: the module; @binding.local: the name in this file (absent: the module's dotted
; name itself); @binding.imported: the name taken from the module (absent: the module).
(import_statement name: (dotted_name) @binding.source)
(import_statement name: (aliased_import name: (dotted_name) @binding.source alias: (identifier) @binding.local))
(import_from_statement module_name: (dotted_name) @binding.source name: (dotted_name) @binding.imported)
(import_from_statement
  module_name: (dotted_name) @binding.source
  name: (aliased_import name: (dotted_name) @binding.imported alias: (identifier) @binding.local))
