/**
 * `GET /explorer`: GraphiQL served entirely from this service's own files, for developers on a network
 * without internet access (Apollo Sandbox at GET /graphql loads from a CDN). Served whenever Sandbox is.
 */
import { Router } from 'express';
import type { Eta } from 'eta';

import type { Config } from '../config';
import { sendPage } from '../pages/page-policy';
import { EXPLORER_PATH, explorerModel } from './explorer.view-model';

/** The explorer route; with Sandbox off (production default) there is none, and the path is a plain 404. */
export function explorerRoutes(config: Config, templates: Eta): Router {
  const router = Router();
  if (!config.graphqlSandbox) return router;
  // The page depends on the configuration only: rendered once.
  const html = templates.render('/explorer/explorer', explorerModel(config));
  router.get(EXPLORER_PATH, (_req, res) => {
    // GraphiQL's dialogs inject a <style> element that cannot carry a nonce: see docs/decisions.md.
    sendPage(res, 200, html, { inlineStyles: true });
  });
  return router;
}
