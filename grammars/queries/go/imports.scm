(import_spec name: (_)? @import.name path: (interpreted_string_literal) @import.source) @import
