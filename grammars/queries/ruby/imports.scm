(call
  method: (identifier) @_load
  arguments: (argument_list . (string (string_content) @import.source))
  (#any-of? @_load "require" "require_relative" "load" "autoload")) @import
