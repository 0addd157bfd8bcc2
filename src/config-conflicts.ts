/**
 * The problems between settings that are each valid alone (config.ts reports them with the rest, at once).
 * It reads no environment itself.
 */

/** The settings these rules read, as config.ts has parsed them. */
export interface RelatedSettings {
  NODE_ENV: 'development' | 'test' | 'production';
  APP_SECRET?: string;
  SHUTDOWN_DRAIN_DELAY_MS?: number;
  SHUTDOWN_TIMEOUT_MS: number;
  HEADERS_TIMEOUT_MS?: number;
  REQUEST_TIMEOUT_MS: number;
  CALL_RETENTION_DAYS: number;
  REPLAY_WINDOW_HOURS: number;
}

/** One message per broken rule, naming the setting to change; `developmentSecret` is the published default. */
export function settingConflicts(e: RelatedSettings, developmentSecret: string): string[] {
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && !e.APP_SECRET) {
    problems.push('APP_SECRET: required in production (at least 32 random characters)');
  }
  if (e.NODE_ENV === 'production' && e.APP_SECRET === developmentSecret) {
    // Published in the source: anyone could forge the stored key hashes and the signed links.
    problems.push('APP_SECRET: is the published development secret; generate one (openssl rand -base64 48)');
  }
  if ((e.SHUTDOWN_DRAIN_DELAY_MS ?? 0) > e.SHUTDOWN_TIMEOUT_MS) {
    problems.push('SHUTDOWN_DRAIN_DELAY_MS: must not exceed SHUTDOWN_TIMEOUT_MS, the deadline that counts from the same signal');
  }
  if ((e.HEADERS_TIMEOUT_MS ?? 0) > e.REQUEST_TIMEOUT_MS) {
    problems.push('HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  if (e.CALL_RETENTION_DAYS > 0 && e.CALL_RETENTION_DAYS * 24 < e.REPLAY_WINDOW_HOURS) {
    // A retried start of a purged call would be a new call instead of a replay.
    problems.push('CALL_RETENTION_DAYS: must keep calls at least as long as REPLAY_WINDOW_HOURS (or be 0: keep forever)');
  }
  return problems;
}
