/**
 * The dashboard's cookies: the session (`cm_session`) and the sign-in form's nonce (`cm_sign_in`). Both are
 * HttpOnly, SameSite=Strict, Secure when the request came over HTTPS (req.secure, see TRUST_PROXY), and
 * scoped to the dashboard's path, so the API never sees them.
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

function options(req: Request, path: string): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path };
}

/** Sets a dashboard cookie that lasts `maxAgeMs`. */
export function setCookie(req: Request, res: Response, name: string, value: string, path: string, maxAgeMs: number): void {
  res.cookie(name, value, { ...options(req, path), maxAge: maxAgeMs });
}

/** Tells the browser to forget a dashboard cookie. */
export function clearCookie(req: Request, res: Response, name: string, path: string): void {
  res.clearCookie(name, options(req, path));
}
