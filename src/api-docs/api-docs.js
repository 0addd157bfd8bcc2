/*
 * The REST reference's boot script: Swagger UI (window.SwaggerUIBundle, served by this service) over the
 * service's own OpenAPI document. Loaded as a file: the page's CSP allows no inline script.
 */
(function () {
  'use strict';

  var settings = JSON.parse(document.getElementById('api-docs-settings').textContent);

  // Swagger UI's server and example pickers are <select>s without a label: name them as they appear.
  var NAMES = [['select#servers', 'Server'], ['select.examples-select-element', 'Example']];
  function nameSelects(root) {
    NAMES.forEach(function (pair) {
      root.querySelectorAll(pair[0] + ':not([aria-label])').forEach(function (select) {
        select.setAttribute('aria-label', pair[1]);
      });
    });
  }
  var container = document.getElementById('swagger-ui');
  new MutationObserver(function () { nameSelects(container); }).observe(container, { childList: true, subtree: true });

  window.SwaggerUIBundle({
    url: settings.url,
    dom_id: '#swagger-ui',
    // No badge from the public validator: the page talks to this service only.
    validatorUrl: null,
    // Keys typed into Authorize stay in memory, never in localStorage.
    persistAuthorization: false,
    deepLinking: false,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
    // A light theme whose colours keep WCAG AA contrast (the default dark one's red strings do not).
    syntaxHighlight: { activated: true, theme: 'idea' },
  });
})();
