/**
 * GraphQL over HTTP for ordinary clients: which requests Apollo's CSRF prevention lets through, and the
 * request as Apollo sees it.
 *
 * Apollo runs an operation sent without a content type (a GET) or with a CORS-safelisted one (text/plain,
 * form encodings) only when it carries a header that a page cannot set without a CORS preflight. Our
 * credential headers are such headers: a form, an image or a link cannot carry `X-Api-Key` or an
 * `Authorization: Bearer …`, so urql's and graphql-request's GETs (which carry nothing else) run, and a
 * page on another origin still gets no further than the preflight, which CORS_ORIGINS answers. The one
 * exception is an Authorization whose scheme a browser sends by itself once a user has typed credentials
 * into its login prompt (Basic, Digest, Negotiate, NTLM): it may ride along on another site's request, so
 * it does not count. Mutations never run over GET or HEAD (405, Apollo's rule).
 */
import type { Request } from 'express';

/** Headers whose presence shows a request was preflighted (Apollo's two, and our credentials). */
export const CSRF_SAFE_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name', 'authorization', 'x-api-key'];

/** Authorization schemes a browser adds by itself from its credentials cache. */
const AMBIENT_SCHEME = /^\s*(basic|digest|negotiate|ntlm)(\s|$)/i;

/** True when the request's Authorization may have been added by the browser rather than by a script. */
export function hasAmbientAuthorization(req: Request): boolean {
  return AMBIENT_SCHEME.test(req.get('authorization') ?? '');
}

/**
 * The request as Apollo sees it: a HEAD is a GET (Node sends no body for it, so it answers what a GET
 * would, headers only), and an ambient Authorization is left out, so it does not count as a preflight
 * header (the key in it was read before Apollo runs: http/authenticate.ts). Any other request is itself.
 */
export function apolloView(req: Request): Request {
  const head = req.method === 'HEAD';
  const ambient = hasAmbientAuthorization(req);
  if (!head && !ambient) return req;
  const view = Object.create(req) as Request;
  if (head) Object.defineProperty(view, 'method', { value: 'GET', enumerable: true });
  if (ambient) {
    const { authorization: _ambient, ...headers } = req.headers;
    Object.defineProperty(view, 'headers', { value: headers, enumerable: true });
  }
  return view;
}

/** True when the client asks for a page rather than JSON (a browser opening /graphql), as Apollo decides it. */
export function prefersPage(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}
