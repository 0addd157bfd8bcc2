/**
 * What a key may do (contract §8): ordinary keys run calls and read caller data; admin keys also sign in to
 * the dashboard and read metrics (and, later, manage keys, limits and the request log).
 */
export enum ApiKeyRole {
  STANDARD = 'standard',
  ADMIN = 'admin',
}
