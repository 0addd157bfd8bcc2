/**
 * The headers of an HTML page: a Content-Security-Policy that allows only the service's own scripts,
 * styles and connections (never inline script, never another host), noindex, and no caching.
 */
import type { Response } from 'express';

/** What a page may do beyond showing its own markup and stylesheet. */
export interface PagePolicy {
  /** Origins that may frame the page (agent desktops); empty: nobody. */
  frameAncestors?: string[];
  /** Allow inline style attributes (a third-party widget that sets them, e.g. the explorer's editor). */
  inlineStyles?: boolean;
}

/** The Content-Security-Policy value for a page. */
export function pageCsp({ frameAncestors = [], inlineStyles = false }: PagePolicy = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self'${inlineStyles ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/** Sends a rendered page with its policy, `noindex` and `no-store`. */
export function sendPage(res: Response, status: number, html: string, policy: PagePolicy = {}): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', pageCsp(policy));
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // X-Frame-Options cannot name origins: with an allow-list, frame-ancestors alone decides.
  if ((policy.frameAncestors ?? []).length > 0) res.removeHeader('X-Frame-Options');
  res.send(html);
}
