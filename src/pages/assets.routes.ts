/** `GET /assets/<name>`: the pages' stylesheets and scripts (assets.ts), cacheable: they hold no caller data. */
import { Router } from 'express';

import { AppError } from '../errors/app-error';
import { ASSETS } from './assets';

const ONE_DAY_SECONDS = 86_400;


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
      // A client that goes away mid-file needs no answer; anything else is ours to report.
      if (error && !res.headersSent) next(error);
    });
  });
  return router;
}
