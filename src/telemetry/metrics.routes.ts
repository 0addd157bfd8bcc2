/**
 * GET /metrics on the service's port: the Prometheus text format, for the metrics token
 * (`Authorization: Bearer <METRICS_TOKEN>`) or an admin API key (contract §8). An ordinary key is refused
 * (403), no credentials or a wrong token or key are unauthenticated (401, with the API's challenges);
 * a wrong token counts against the address's failed authentications like a wrong key. METRICS_PORT serves
 * the same text without credentials on a listener of its own (telemetry/metrics-server.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { Router, type Request, type RequestHandler } from 'express';

import { AppError } from '../errors/app-error';
import type { RequestAuthenticator } from '../http/authenticate';
import { ApiKeyRole } from '../tenancy/api-key-role';
import type { ServiceMetrics } from './service-metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** True when the request's `Authorization: Bearer …` is the token, compared in constant time. */
function carriesToken(req: Request, tokenDigest: Buffer | undefined): boolean {
  if (!tokenDigest) return false;
  const sent = /^\s*bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  return sent !== undefined && timingSafeEqual(digest(sent), tokenDigest);
}

/** Answers with the registry's current text (gauges are read now). */
export async function sendMetrics(metrics: ServiceMetrics): Promise<{ contentType: string; body: string }> {
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

/** The /metrics route; `token` is METRICS_TOKEN (undefined: admin keys only). Needs `res.locals.em` (forkEntityManager). */
export function metricsRoutes(metrics: ServiceMetrics, token: string | undefined, authenticator: RequestAuthenticator): Router {
  const router = Router();
  const tokenDigest = token === undefined ? undefined : digest(token);
  const scrape: RequestHandler = async (req, res) => {
    if (!carriesToken(req, tokenDigest)) {
      const principal = await authenticator.principalOf(req, res.locals.em);
      if (principal.role !== ApiKeyRole.ADMIN) throw AppError.forbidden('metrics needs an admin API key or the metrics token');
    }
    const { contentType, body } = await sendMetrics(metrics);
    res.set('Cache-Control', 'no-store').type(contentType).send(body);
  };
  router.get('/metrics', scrape);
  router.all('/metrics', () => {
    throw AppError.methodNotAllowed(['GET']);
  });
  return router;
}
