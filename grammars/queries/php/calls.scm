(function_call_expression function: [(name) (qualified_name)] @call.name) @call
(member_call_expression object: (_) @call.receiver name: (name) @call.name) @call
(nullsafe_member_call_expression object: (_) @call.receiver name: (name) @call.name) @call
(scoped_call_expression scope: (_) @call.receiver name: (name) @call.name) @call
(object_creation_expression . [(name) (qualified_name)] @call.name) @call
