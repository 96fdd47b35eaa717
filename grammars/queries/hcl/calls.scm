(function_call (identifier) @call.name) @call
