(namespace_use_declaration (namespace_use_clause (_) @import.source)) @import
(include_expression (_) @import.source) @import
(include_once_expression (_) @import.source) @import
(require_expression (_) @import.source) @import
(require_once_expression (_) @import.source) @import
