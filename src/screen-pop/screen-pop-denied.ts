/** The 403 page of a screen-pop link that cannot be shown, in words an agent can act on. */
import { count } from './words';

/** Why a link is refused: `invalid` covers tampered, cut short, unknown call, and another tenant or customer. */
export type DeniedReason = 'invalid' | 'expired';

/** What the refusal page says. */
export interface DeniedModel {
  heading: string;
  message: string;
  hint: string;
}

function lifetime(ttlMs: number): string {
  const minutes = Math.round(ttlMs / 60_000);
  return minutes % 60 === 0 ? count(minutes / 60, 'hour') : count(minutes, 'minute');
}

/** The refusal page's words; an invalid link says nothing about what, if anything, it pointed to. */
export function deniedModel(reason: DeniedReason, ttlMs: number): DeniedModel {
  if (reason === 'expired') {
    return {
      heading: 'This screen-pop link has expired',
      message: `Screen-pop links work for ${lifetime(ttlMs)} after the call starts. Open the newest link from the call.`,
      hint: 'Each call gets its own link in the call data (screen_pop_url) when it starts.',
    };
  }
  return {
    heading: 'This screen-pop link is not valid',
    message: 'The link may have been changed or cut short when it was copied, or the call it was made for is no longer on record.',
    hint: 'Open the screen pop again from the current call in your agent desktop.',
  };
}
