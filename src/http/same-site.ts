/**
 * Where a browser says a request comes from (Sec-Fetch-Site, Origin). When it says "another site", the
 * dashboard's POST forms are refused (defence in depth beside their CSRF tokens) and so are Basic
 * credentials on the API (a browser re-sends them unasked). A request that says nothing (an old browser, a
 * script, an IVR platform) is not from another site.
 */
import type { Request } from 'express';

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** True when the browser reports that the request was sent from a page of another origin. */
export function fromAnotherSite(req: Request, publicUrl: string | undefined): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.get('origin');
  // Our pages send `Referrer-Policy: no-referrer`, under which browsers post forms with `Origin: null`:
  // it says nothing either way (Sec-Fetch-Site above and the token still do).
  if (origin === undefined || origin === 'null') return false;
  const originHost = hostOf(origin);
  if (originHost === undefined) return true;
  // The scheme is left out: behind a TLS proxy that is not trusted, the service sees http while the browser says https.
  const scheme = origin.split(':')[0];
  const ours = [req.get('host'), req.host].filter((h): h is string => !!h).map((h) => hostOf(`${scheme}://${h}`));
  if (publicUrl) ours.push(hostOf(publicUrl));
  return !ours.includes(originHost);
}
