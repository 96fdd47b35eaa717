; Web route registrations (mapping/routes.h): Express, Koa-router, Fastify and Hono style
; `app.get('/users/:id', handler)`. The code decides which verbs are routes.
(call_expression
  function: (member_expression object: (_) @route.object property: (property_identifier) @route.verb)
  arguments: (arguments . (string (string_fragment) @route.path))) @route
