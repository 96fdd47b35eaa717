(namespace_use_declaration (namespace_use_clause (_) @import.source)) @import
(include_expression (_) @import.source) @import
(include_once_expression (_) @import.source) @import
(require_expression (_) @import.source) @import
(require_once_expression (_) @import.source) @import
; `use GuzzleHttp\{Client, Pool};` imports from its common prefix
(namespace_use_declaration (namespace_name) @import.source body: (namespace_use_group)) @import
; Qualified names reference a package without a `use`: `new \GuzzleHttp\Client()`,
; `\Monolog\Registry::getInstance()`, `\GuzzleHttp\json_encode()`, and the bundle classes of
; Symfony's config/bundles.php (`Vendor\FooBundle\FooBundle::class => [...]`).
(object_creation_expression (qualified_name) @import.source) @import
(scoped_call_expression scope: (qualified_name) @import.source) @import
(function_call_expression function: (qualified_name) @import.source) @import
(class_constant_access_expression . (qualified_name) @import.source) @import
