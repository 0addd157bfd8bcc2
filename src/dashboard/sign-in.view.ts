/** What the sign-in page says about why it is shown (`?reason=`): fixed texts, never the query echoed. */

const NOTICES: Record<string, string> = {
  'signed-out': 'You have signed out.',
  expired: 'Your session has expired. Sign in again to continue.',
  revoked: 'Your session ended because its API key was revoked. Sign in with another admin key.',
};

/** The notice for a `reason` query value, or undefined. */
export function signInNotice(reason: unknown): string | undefined {
  return typeof reason === 'string' && Object.hasOwn(NOTICES, reason) ? NOTICES[reason] : undefined;
}
