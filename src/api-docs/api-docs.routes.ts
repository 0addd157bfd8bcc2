/**
 * `GET /openapi.json`, the REST shim's OpenAPI 3.1 document, and `GET /docs/api`, a reference page over
 * it (Swagger UI served from this service's own files). Neither needs a key: they describe the API, they
 * hold no caller data.
 */
import { createHash } from 'node:crypto';

import { Router } from 'express';
import type { Eta } from 'eta';

import type { Config } from '../config';
import { AppError } from '../errors/app-error';
import { sendPage } from '../pages/page-policy';
import { openApiDocument } from './openapi-document';
import { API_DOCS_PATH, apiDocsModel, OPENAPI_PATH } from './api-docs.view-model';

const ONE_HOUR_SECONDS = 3600;

/** The document and page routes; both depend on the configuration only, so both are built once. */
export function apiDocsRoutes(config: Config, templates: Eta): Router {
  const router = Router();
  const json = JSON.stringify(openApiDocument({ publicUrl: config.pages.publicUrl, bodyLimitBytes: config.bodyLimitBytes }));
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  const html = templates.render('/api-docs/api-docs', apiDocsModel(config.pages.publicUrl));

  router.get(OPENAPI_PATH, (req, res) => {
    // Over the app-wide no-store: the document is the same for everyone until the service is reconfigured.
    res.setHeader('Cache-Control', `public, max-age=${ONE_HOUR_SECONDS}`);
    res.setHeader('ETag', etag);
    // Public and credential-free: online editors and code generators may fetch it from any origin.
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('application/json; charset=utf-8').send(json);
  });

  router.get(API_DOCS_PATH, (_req, res) => {
    sendPage(res, 200, html);
  });

  router.all([OPENAPI_PATH, API_DOCS_PATH], () => {
    throw AppError.methodNotAllowed(['GET', 'HEAD']);
  });
  return router;
}
