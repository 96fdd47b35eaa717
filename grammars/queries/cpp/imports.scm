(preproc_include path: (_) @import.source) @import
(using_declaration (_) @import.source) @import
