(invocation_expression function: (identifier) @call.name) @call
(invocation_expression function: (member_access_expression expression: (_) @call.receiver name: (identifier) @call.name)) @call
(invocation_expression function: (member_access_expression expression: (_) @call.receiver name: (generic_name (identifier) @call.name))) @call
(invocation_expression function: (generic_name (identifier) @call.name)) @call
(object_creation_expression type: (_) @call.name) @call
