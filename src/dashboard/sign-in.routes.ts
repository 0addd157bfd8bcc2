/**
 * Signing in to the dashboard with an admin API key (contract §8). The form's CSRF token is an HMAC of a
 * nonce in an HttpOnly cookie (a signed double submit), so another site cannot sign a browser in to its
 * own account. Wrong keys count against the API's failed-authentication throttle; ordinary keys are
 * refused without a session; a successful sign-in always starts a session under a fresh token.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';

import { AppError } from '../errors/app-error';
import { ErrorCode, HTTP_STATUS } from '../errors/error-code';
import { sendPage } from '../pages/page-policy';
import { ApiKeyRole } from '../tenancy/api-key-role';
import type { Principal } from '../tenancy/api-key.service';
import { readCredentials } from '../tenancy/credentials';
import type { DashboardContext } from './dashboard-context';
import { clearCookie, readCookie, SESSION_COOKIE, setCookie, SIGN_IN_COOKIE, SIGN_IN_FORM_MS } from './dashboard-cookies';
import { readForm } from './dashboard-form';
import { fromAnotherSite } from '../http/same-site';
import { signInNotice } from './sign-in.view';

/** What the sign-in form says above its field. */
interface SignInMessage {
  notice?: string;
  error?: string;
  /** Issue a new nonce even if the browser holds one (after a refused form). */
  freshNonce?: boolean;
}

const ORDINARY_KEY =
  'This is an ordinary API key: it runs calls but cannot open the dashboard. Sign in with an admin key ' +
  '(create one with: npm run keys -- create --org <slug> --env prod --admin).';
const UNVERIFIED_FORM =
  'This sign-in form could not be verified: it had expired, or it was sent from another site. Nothing was changed. Enter your key again.';

function renderSignIn(ctx: DashboardContext, req: Request, res: Response, status: number, message: SignInMessage = {}): void {
  const held = readCookie(req, SIGN_IN_COOKIE);
  const nonce = !message.freshNonce && ctx.tokens.isWellFormed(held) ? held : ctx.tokens.newToken();
  setCookie(req, res, SIGN_IN_COOKIE, nonce, ctx.cookies, SIGN_IN_FORM_MS);
  const html = ctx.templates.render('/dashboard/sign-in', {
    title: 'Sign in',
    basePath: ctx.paths.base,
    action: ctx.paths.signIn,
    csrf: ctx.tokens.signInCsrf(nonce),
    notice: message.notice,
    error: message.error,
  });
  sendPage(res, status, html);
}

/** The key's principal, or the refusal to show on the form (wrong key 401, throttled 429). */
async function principalOrRefusal(ctx: DashboardContext, req: Request, res: Response, apiKey: string): Promise<Principal | undefined> {
  const credentials = readCredentials(undefined, apiKey);
  if (credentials.kind === 'missing') {
    renderSignIn(ctx, req, res, 400, { error: 'Enter an admin API key.' });
    return undefined;
  }
  try {
    return await ctx.authenticator.principalOfCredentials(req, res.locals.em, credentials);
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== ErrorCode.Unauthenticated && error.code !== ErrorCode.RateLimited)) throw error;
    if (error.headers['Retry-After']) res.setHeader('Retry-After', error.headers['Retry-After']);
    const text = error.code === ErrorCode.RateLimited ? `${error.message}.` : `That key was not accepted: ${error.message}.`;
    renderSignIn(ctx, req, res, HTTP_STATUS[error.code], { error: text });
    return undefined;
  }
}

/** GET and POST /dashboard/sign-in. */
export function signInRoutes(ctx: DashboardContext): Router {
  const router = Router();

  // Shown even to a browser holding a session: signing in again (another key) replaces that session.
  router.get('/dashboard/sign-in', (req, res) => {
    renderSignIn(ctx, req, res, 200, { notice: signInNotice(req.query.reason) });
  });

  router.post('/dashboard/sign-in', async (req, res) => {
    const form = await readForm(req, ctx.config.bodyLimitBytes, ['api_key', 'csrf'] as const);
    if (fromAnotherSite(req, ctx.config.pages.publicUrl) || !ctx.tokens.checkSignInCsrf(readCookie(req, SIGN_IN_COOKIE), form.csrf)) {
      renderSignIn(ctx, req, res, 403, { error: UNVERIFIED_FORM, freshNonce: true });
      return;
    }
    const principal = await principalOrRefusal(ctx, req, res, form.api_key);
    if (!principal) return;
    if (principal.role !== ApiKeyRole.ADMIN) {
      renderSignIn(ctx, req, res, 403, { error: ORDINARY_KEY });
      return;
    }
    const { token } = await ctx.sessions.signIn(res.locals.em, principal, readCookie(req, SESSION_COOKIE));
    setCookie(req, res, SESSION_COOKIE, token, ctx.cookies, ctx.config.pages.sessionTtlMs);
    clearCookie(req, res, SIGN_IN_COOKIE, ctx.cookies);
    res.redirect(303, ctx.paths.dashboard);
  });

  return router;
}
