(import_statement source: (string (string_fragment) @import.source)) @import
(import_require_clause source: (string (string_fragment) @import.source)) @import
(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string (string_fragment) @import.source))
  (#eq? @_require "require")) @import
(call_expression
  function: (import)
  arguments: (arguments . (string (string_fragment) @import.source))) @import
