/**
 * `GET /screen-pop/:token`: the agent's read-only page for one call, opened from `flat.screen_pop_url`
 * with no API key (the signed token is the credential). A link that is tampered, cut short, expired, or
 * whose call is gone or no longer that customer's gets a 403 page in words, never an error code.
 */
import type { Eta } from 'eta';
import { Router, type NextFunction, type Request, type Response } from 'express';

import type { Config } from '../config';
import { AppError } from '../errors/app-error';
import { basePathOf } from '../pages/base-path';
import { sendPage, type PagePolicy } from '../pages/page-policy';
import type { Services } from '../services';
import { deniedModel, type DeniedReason } from './screen-pop-denied';
import type { ScreenPopLinks } from './screen-pop-links';
import { ScreenPopService } from './screen-pop.service';
import { buildScreenPopView } from './screen-pop.view-model';

/** The path of the page; the token is its only parameter. */
export const SCREEN_POP_PATH = '/screen-pop/:token';

/** The screen-pop route (mounted before API-key authentication). */
export function screenPopRoutes(config: Config, services: Services, links: ScreenPopLinks, templates: Eta): Router {
  const router = Router();
  const pages = new ScreenPopService(links, services);
  const basePath = basePathOf(config.pages.publicUrl);
  // Agent desktops (Five9, Twilio Flex, a CRM) may frame it when SCREEN_POP_FRAME_ANCESTORS names them.
  const policy: PagePolicy = { frameAncestors: config.pages.screenPopFrameAncestors };
  const wording = { csatVariable: config.metrics.csatVariable };

  const deny = (res: Response, reason: DeniedReason) =>
    sendPage(res, 403, templates.render('/screen-pop/screen-pop-denied', { basePath, ...deniedModel(reason, config.pages.screenPopTtlMs) }), policy);

  // Express answers HEAD with this route too, without the body.
  router.get(SCREEN_POP_PATH, async (req, res) => {
    const opened = await pages.open(res.locals.em, req.params.token);
    if (opened.kind !== 'page') return deny(res, opened.kind);
    sendPage(res, 200, templates.render('/screen-pop/screen-pop', { basePath, view: buildScreenPopView(opened.data, wording) }), policy);
  });

  router.all(SCREEN_POP_PATH, () => {
    throw AppError.methodNotAllowed(['GET', 'HEAD']);
  });

  // A broken %-escape in the token fails Express's parameter decoding before any handler runs: it is
  // still only a link that is not valid, not a server error.
  router.use('/screen-pop', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof URIError) deny(res, 'invalid');
    else next(error);
  });
  return router;
}
