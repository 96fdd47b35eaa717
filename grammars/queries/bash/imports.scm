(command
  name: (command_name (word) @_source)
  argument: (_) @import.source
  (#any-of? @_source "source" ".")) @import
