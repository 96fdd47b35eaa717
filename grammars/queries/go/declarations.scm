(function_declaration name: (identifier) @name) @definition.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: [(type_identifier) (pointer_type (type_identifier))] @receiver))
  name: (field_identifier) @name) @definition.method
(type_spec name: (type_identifier) @name) @definition.type
