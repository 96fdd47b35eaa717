(preproc_include path: (_) @import.source) @import
