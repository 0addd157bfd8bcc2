/**
 * The routers of pages and probes (health, assets, explorer, API docs, screen pop, dashboard) answer no
 * path under /v1 or /graphql, yet an API request would walk through each of them and test every route of
 * theirs: it skips them here with one test of its path, the same one securityHeaders makes.
 */
import type { RequestHandler } from 'express';

/** The API's mounts, as Express matches them (case-insensitively, with or without a trailing slash). */
export const API_PATH = /^\/(v1|graphql)(\/|$)/i;

/** `handler`, skipped for requests under the API's mounts. */
export function pagesOnly(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (API_PATH.test(req.path)) next();
    else handler(req, res, next);
  };
}
