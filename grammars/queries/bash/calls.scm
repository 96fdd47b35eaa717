(command name: (command_name) @call.name) @call
