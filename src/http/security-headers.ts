/**
 * Standard security headers on every answer, written here rather than through helmet (five headers do not
 * need a dependency). Answers are JSON or pages the service renders itself, never cached: every answer
 * may carry caller data, errors included.
 */
import type { ServerResponse } from 'node:http';

import type { RequestHandler } from 'express';

/** The policy for every answer but the Sandbox page: load nothing, be framed by nobody. */
export const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The policy for GET /graphql, where Apollo Sandbox's landing page is served. The page carries Apollo's
 * own Content-Security-Policy (a `<meta>` with a fresh nonce per page, listing the CDN scripts, styles,
 * images and frame it loads), which the browser enforces together with this header; this header adds
 * only what a `<meta>` policy cannot say (frame-ancestors) or what the page never needs.
 */
export const SANDBOX_CSP = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const ONE_YEAR_SECONDS = 31_536_000;

/** The API's mounts: every answer under them may carry caller data. */
const API_PATH = /^\/(v1|graphql)(\/|$)/i;

/**
 * Sets `Cache-Control: no-store` again as the head goes out, over whatever a handler set: Apollo marks
 * some replies (an unknown persisted query) `private, no-cache`, and no answer of the API may be stored.
 */
function pinNoStore(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    this.setHeader('Cache-Control', 'no-store');
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}

/** Sets the security and caching headers; HSTS only on requests that came over HTTPS (`req.secure`, see TRUST_PROXY). */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  if (API_PATH.test(req.path)) pinNoStore(res);
  const sandboxPage = (req.method === 'GET' || req.method === 'HEAD') && /^\/graphql(\/|$)/i.test(req.path);
  res.setHeader('Content-Security-Policy', sandboxPage ? SANDBOX_CSP : STRICT_CSP);
  if (req.secure) res.setHeader('Strict-Transport-Security', `max-age=${ONE_YEAR_SECONDS}; includeSubDomains`);
  next();
};
