(call receiver: (_)? @call.receiver method: (_) @call.name) @call
