/** `GET /assets/<name>`: the pages' stylesheets and scripts (assets.ts), cacheable: they hold no caller data. */
import { STATUS_CODES } from 'node:http';

import { Router } from 'express';

import { AppError } from '../errors/app-error';
import type { ErrorBody } from '../http/rest-errors';
import { ASSETS } from './assets';

const ONE_DAY_SECONDS = 86_400;

/** What the client asked for that a file cannot give: an unsatisfiable Range, a failed If-Match or If-Unmodified-Since. */
const CLIENT_MESSAGES: Record<number, string> = {
  412: 'The asset does not meet the request’s If-Match or If-Unmodified-Since condition',
  416: 'The requested range is outside the asset',
};

/** The status of a `send` error the client caused (412, 416), or undefined for any other error. */
function clientStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && Object.hasOwn(CLIENT_MESSAGES, status) ? status : undefined;
}

/** The asset routes; unknown names are 404s in the API's error shape. */
export function assetRoutes(): Router {
  const router = Router();
  router.get('/assets/:name', (req, res, next) => {
    const asset = Object.hasOwn(ASSETS, req.params.name) ? ASSETS[req.params.name] : undefined;
    if (!asset) throw AppError.notFound(`No asset '${req.params.name}'`);
    res.setHeader('Content-Type', asset.type);
    // Over the app-wide no-store: these are public package files, the same for everyone.
    res.setHeader('Cache-Control', `public, max-age=${ONE_DAY_SECONDS}`);
    res.sendFile(asset.file, { cacheControl: false }, (error) => {
      // A client that goes away mid-file needs no answer.
      if (!error || res.headersSent) return;
      // Nothing but the file itself may be cached, nor sent as its type.
      res.setHeader('Cache-Control', 'no-store');
      res.removeHeader('Content-Type');
      const status = clientStatus(error);
      // The client's own Range or precondition that the file cannot meet (send keeps Content-Range for 416).
      if (status) res.status(status).json({ error: STATUS_CODES[status] ?? 'Error', message: CLIENT_MESSAGES[status] } satisfies ErrorBody);
      else next(error);
    });
  });
  return router;
}
