/**
 * The outcomes dashboard (issue 10 §2): `/dashboard` for a signed-in admin key, its sign-in and sign-out.
 * Mounted apart from /v1 and /graphql: it authenticates by its own session cookie, never by API-key headers.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { localDay } from '../metrics/local-days';
import type { MetricsReport } from '../metrics/metrics.types';
import { sendPage } from '../pages/page-policy';
import { TENANT_FILTER } from '../tenancy/tenant-scoped.entity';
import { createDashboardContext, sendProblem, type DashboardContext, type DashboardDeps } from './dashboard-context';
import { clearCookie, readCookie, SESSION_COOKIE } from './dashboard-cookies';
import { dashboardErrors } from './dashboard-errors';
import { readForm } from './dashboard-form';
import { parseDashboardQuery } from './dashboard-query';
import type { ActiveSession } from './dashboard-session.service';
import { dashboardView } from './dashboard.view';
import { fromAnotherSite } from '../http/same-site';
import { signInRoutes } from './sign-in.routes';
import { dashboardUsage } from './usage-panel';

/** The signed-in session, or undefined after sending the browser to sign in (saying why, when it ended). */
async function requireSession(ctx: DashboardContext, req: Request, res: Response): Promise<ActiveSession | undefined> {
  const lookup = await ctx.sessions.lookup(res.locals.em, readCookie(req, SESSION_COOKIE));
  if (lookup.state === 'active') return lookup.session;
  if (readCookie(req, SESSION_COOKIE) !== undefined) clearCookie(req, res, SESSION_COOKIE, ctx.cookies);
  res.redirect(303, lookup.state === 'none' ? ctx.paths.signIn : `${ctx.paths.signIn}?reason=${lookup.state}`);
  return undefined;
}

async function showDashboard(ctx: DashboardContext, req: Request, res: Response): Promise<void> {
  const session = await requireSession(ctx, req, res);
  if (!session) return;
  const now = ctx.services.clock.now();
  const query = parseDashboardQuery(req.query as Record<string, unknown>, localDay(now, session.timeZone));
  const problems = query.ok ? [] : query.problems;
  let report: MetricsReport | null = null;
  if (query.ok) {
    const em = res.locals.em;
    em.setFilterParams(TENANT_FILTER, session.tenant);
    try {
      report = await ctx.services.metrics.report(em, session.tenant, query.request);
    } catch (error) {
      // The service checks periods too (e.g. a go-live date near year 9999): its words go above the form.
      if (!(error instanceof AppError) || error.code !== ErrorCode.BadUserInput) throw error;
      problems.push(...(error.issues ?? []).map((issue) => `${issue.message}.`));
    }
  }
  const usage = await dashboardUsage(ctx, res.locals.em, session.tenant.organisationId, now);
  const view = dashboardView({
    organisationName: session.organisationName,
    environment: session.environment,
    timeZone: session.timeZone,
    now,
    form: query.form,
    problems,
    signOutCsrf: ctx.tokens.sessionCsrf(session.id),
    report,
    usage,
  });
  const html = ctx.templates.render('/dashboard/dashboard', { ...view, title: 'Outcomes', basePath: ctx.paths.base, paths: ctx.paths });
  sendPage(res, report ? 200 : 400, html);
}

async function signOut(ctx: DashboardContext, req: Request, res: Response): Promise<void> {
  const form = await readForm(req, ctx.config.bodyLimitBytes, ['csrf'] as const);
  const token = readCookie(req, SESSION_COOKIE);
  const lookup = await ctx.sessions.lookup(res.locals.em, token);
  if (lookup.state === 'active' && (fromAnotherSite(req, ctx.config.pages.publicUrl) || !ctx.tokens.checkSessionCsrf(lookup.session.id, form.csrf))) {
    sendProblem(ctx, res, 403, {
      title: 'Sign-out refused',
      message: 'This sign-out could not be verified: it came without this page’s token, or from another site. Nothing was changed: you are still signed in.',
      link: { href: ctx.paths.dashboard, label: 'Back to the dashboard' },
    });
    return;
  }
  // Without a live session there is nothing to end; the cookie goes either way.
  await ctx.sessions.signOut(res.locals.em, token);
  clearCookie(req, res, SESSION_COOKIE, ctx.cookies);
  res.redirect(303, `${ctx.paths.signIn}?reason=signed-out`);
}

/** The dashboard's routes, with its errors rendered as pages. */
export function dashboardRoutes(deps: DashboardDeps): Router {
  const ctx = createDashboardContext(deps);
  const router = Router();
  router.use(signInRoutes(ctx));
  router.get('/dashboard', (req, res) => showDashboard(ctx, req, res));
  router.post('/dashboard/sign-out', (req, res) => signOut(ctx, req, res));
  router.all('/dashboard', () => {
    throw AppError.methodNotAllowed(['GET']);
  });
  router.all('/dashboard/sign-in', () => {
    throw AppError.methodNotAllowed(['GET', 'POST']);
  });
  router.all('/dashboard/sign-out', () => {
    throw AppError.methodNotAllowed(['POST']);
  });
  router.use(dashboardErrors(ctx));
  return router;
}
