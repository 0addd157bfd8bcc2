/** What the dashboard's routes share: its paths, templates, tokens, sessions, and the app's services. */
import type { Response } from 'express';
import type { Eta } from 'eta';

import type { Config } from '../config';
import type { RequestAuthenticator } from '../http/authenticate';
import { basePathOf } from '../pages/base-path';
import { sendPage } from '../pages/page-policy';
import type { Services } from '../services';
import { cookieScope, type CookieScope } from './dashboard-cookies';
import { DashboardSessionService } from './dashboard-session.service';
import { SessionTokens } from './session-tokens';

/** The dashboard's paths as the browser sees them (behind PUBLIC_URL's path). */
export interface DashboardPaths {
  base: string;
  dashboard: string;
  signIn: string;
  signOut: string;
}

/** Shared by the sign-in and dashboard routes. */
export interface DashboardContext {
  config: Config;
  services: Services;
  authenticator: RequestAuthenticator;
  templates: Eta;
  tokens: SessionTokens;
  sessions: DashboardSessionService;
  paths: DashboardPaths;
  /** The path and Secure rule of the dashboard's cookies. */
  cookies: CookieScope;
}

/** What the dashboard needs from the app. */
export interface DashboardDeps {
  config: Config;
  services: Services;
  authenticator: RequestAuthenticator;
  templates: Eta;
}

/** Builds the context once per app. */
export function createDashboardContext({ config, services, authenticator, templates }: DashboardDeps): DashboardContext {
  const base = basePathOf(config.pages.publicUrl);
  const tokens = new SessionTokens(config.appSecret);
  return {
    config,
    services,
    authenticator,
    templates,
    tokens,
    sessions: new DashboardSessionService(tokens, config.pages.sessionTtlMs, services.clock),
    paths: { base, dashboard: `${base}/dashboard`, signIn: `${base}/dashboard/sign-in`, signOut: `${base}/dashboard/sign-out` },
    cookies: cookieScope(config.pages.publicUrl, `${base}/dashboard`),
  };
}

/** A page for when something was refused or went wrong, with one way on. */
export interface ProblemPage {
  title: string;
  message: string;
  details?: string[];
  link: { href: string; label: string };
}

/** Renders the problem page with its status. */
export function sendProblem(ctx: DashboardContext, res: Response, status: number, page: ProblemPage): void {
  sendPage(res, status, ctx.templates.render('/dashboard/dashboard-problem', { ...page, basePath: ctx.paths.base }));
}
