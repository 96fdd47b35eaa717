(import_statement name: (dotted_name) @import.source) @import
; `import requests as rq` imports requests, not "requests as rq"
(import_statement name: (aliased_import name: (dotted_name) @import.source)) @import
(import_from_statement module_name: (_) @import.source name: (_)? @import.name) @import
(call
  function: (identifier) @_import
  arguments: (argument_list . (string (string_content) @import.source))
  (#eq? @_import "__import__")) @import
