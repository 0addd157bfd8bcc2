/** Page and probe routers are skipped by requests under the API's mounts (/v1, /graphql), and only by those. */
import type { Request, RequestHandler, Response } from 'express';

import { pagesOnly } from '../../src/http/pages-only';

function reached(path: string): boolean {
  let handled = false;
  const handler: RequestHandler = (_req, _res, next) => {
    handled = true;
    next();
  };
  pagesOnly(handler)({ path } as Request, {} as Response, () => undefined);
  return handled;
}

describe('routers of pages only', () => {
  it('skip the API mounts, in any case and with or without a trailing slash', () => {
    for (const path of ['/v1/calls/start', '/V1/calls/end', '/v1', '/v1/', '/graphql', '/GraphQL/', '/v1/customers/abc']) expect(reached(path)).toBe(false);
  });

  it('run for every other path, including ones that only begin like the API mounts', () => {
    for (const path of ['/healthz', '/dashboard', '/screen-pop/abc', '/assets/x.css', '/v10', '/graphqlx', '/explorer', '/']) expect(reached(path)).toBe(true);
  });
});
