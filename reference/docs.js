/* Starts Swagger UI on this API's own OpenAPI document (same origin, no inline
   script). No validator badge (it would call a third-party host), deep links for
   sharing an operation, and "Try it out" sends requests to this same API. */
(function () {
  'use strict';
  var documentUrl = new URL('openapi.json', window.location.href).href;
  window.ui = window.SwaggerUIBundle({
    url: documentUrl,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    docExpansion: 'none',
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
}());
