(import_declaration (_) @import.source) @import
