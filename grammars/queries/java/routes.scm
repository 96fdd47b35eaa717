; Web route registrations (mapping/routes.h): Spring `@GetMapping("/x")`, `@RequestMapping(value =
; "/x", method = RequestMethod.POST)` on a method, with the class's `@RequestMapping` as prefix.
(method_declaration
  (modifiers (annotation name: (identifier) @route.verb arguments: (annotation_argument_list) @route.args))
  name: (identifier) @route.handler) @route
(method_declaration
  (modifiers (marker_annotation name: (identifier) @route.verb))
  name: (identifier) @route.handler) @route
(class_declaration
  (modifiers (annotation name: (identifier) @prefix.verb arguments: (annotation_argument_list) @prefix.args))
  body: (class_body) @prefix.body) @prefix
