(namespace_use_declaration (namespace_use_clause (_) @import.source)) @import
(include_expression (_) @import.source) @import
(include_once_expression (_) @import.source) @import
(require_expression (_) @import.source) @import
(require_once_expression (_) @import.source) @import
; `use GuzzleHttp\{Client, Pool};` imports from its common prefix
(namespace_use_declaration (namespace_name) @import.source body: (namespace_use_group)) @import
