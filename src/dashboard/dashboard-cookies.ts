/**
 * The dashboard's cookies: the session (`cm_session`) and the sign-in form's nonce (`cm_sign_in`). Both are
 * HttpOnly, SameSite=Strict, Secure when the request came over HTTPS (req.secure, see TRUST_PROXY) or when
 * PUBLIC_URL is https, and scoped to the dashboard's path, so the API never sees them.
 */
import type { CookieOptions, Request, Response } from 'express';

/** The session cookie's name. */
export const SESSION_COOKIE = 'cm_session';
/** The sign-in form's nonce cookie (its CSRF token is an HMAC of it). */
export const SIGN_IN_COOKIE = 'cm_sign_in';
/** How long a sign-in form stays usable. */
export const SIGN_IN_FORM_MS = 60 * 60 * 1000;

/** The first value of a cookie in the request's Cookie header (ours are plain base64url, nothing to decode). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where the dashboard's cookies live, and whether the public address says they travel over HTTPS only. */
export interface CookieScope {
  /** PUBLIC_URL's path, then /dashboard. */
  path: string;
  /** PUBLIC_URL is https: browsers reach the service over TLS even when a proxy it does not trust says nothing. */
  httpsOnly: boolean;
}

/** The scope of the dashboard's cookies under PUBLIC_URL (unset: the root, Secure only by the request). */
export function cookieScope(publicUrl: string | undefined, dashboardPath: string): CookieScope {
  return { path: dashboardPath, httpsOnly: publicUrl !== undefined && new URL(publicUrl).protocol === 'https:' };
}

function options(req: Request, scope: CookieScope): CookieOptions {
  // Without TRUST_PROXY a TLS proxy's request looks like plain HTTP; PUBLIC_URL still says how browsers come.
  return { httpOnly: true, sameSite: 'strict', secure: req.secure || scope.httpsOnly, path: scope.path };
}

/** Sets a dashboard cookie that lasts `maxAgeMs`. */
export function setCookie(req: Request, res: Response, name: string, value: string, scope: CookieScope, maxAgeMs: number): void {
  res.cookie(name, value, { ...options(req, scope), maxAge: maxAgeMs });
}

/** Tells the browser to forget a dashboard cookie. */
export function clearCookie(req: Request, res: Response, name: string, scope: CookieScope): void {
  res.clearCookie(name, options(req, scope));
}
