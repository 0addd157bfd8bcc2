/**
 * CORS for the API mounts (/graphql and /v1), through the `cors` package, ahead of authentication: a
 * preflight carries no key and needs none. Pages (/dashboard, /screen-pop, /explorer) get none of it.
 *
 * - An Origin on CORS_ORIGINS (or any, with `*`): the preflight is answered 204 with the methods, the
 *   request headers our clients send, Max-Age and Vary: Origin; the request itself is handled as usual
 *   with Access-Control-Allow-Origin and the headers a script may read (X-Request-Id, Retry-After,
 *   WWW-Authenticate, the rate limit's RateLimit and RateLimit-Policy), errors included.
 * - Any other Origin, or CORS off: no CORS header at all (the browser keeps the answer from the page); the
 *   request is handled as usual, and OPTIONS is answered 204 with `Allow` (never a 401 or 405).
 *
 * Never Access-Control-Allow-Credentials: the key travels in a header the page sets, not in a cookie, so
 * a browser's credentials mode must stay `omit` or `same-origin` (every client's default).
 */
import cors from 'cors';
import type { RequestHandler } from 'express';

import type { CorsOrigins } from '../config-values';

/** Request headers a page may send: credentials, JSON, the request id, Apollo's preflight and client headers. */
export const CORS_REQUEST_HEADERS = [
  'Authorization',
  'X-Api-Key',
  'Content-Type',
  'Accept',
  'X-Request-Id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];

/** Answer headers a page may read beyond the safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'WWW-Authenticate', 'RateLimit', 'RateLimit-Policy'];

/** How long a browser may reuse a preflight's answer (Chromium keeps at most 2 hours). */
export const CORS_MAX_AGE_SECONDS = 600;

/** CORS for one mount whose routes take `methods` (OPTIONS is added). */
export function apiCors(origins: CorsOrigins, methods: string[]): RequestHandler {
  const allow = [...methods, 'OPTIONS'].join(', ');
  const any = origins === '*';
  const listed = new Set(any ? [] : origins);
  const withCors = cors({
    // `*` for every origin; otherwise the request's own Origin, echoed (only reached for listed ones).
    origin: any ? '*' : true,
    methods: allow,
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => {
    const origin = req.get('origin');
    // With a list, the answer depends on the Origin, whether it is listed or not.
    if (listed.size > 0) res.vary('Origin');
    if (req.method === 'OPTIONS') res.set('Allow', allow);
    if (origin !== undefined && (any || listed.has(origin))) {
      withCors(req, res, next);
      return;
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
