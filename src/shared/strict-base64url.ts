/**
 * Reads back the opaque base64url tokens the API makes (cursors, global ids) strictly: only the alphabet,
 * at most `maxLength` characters, and only the canonical spelling of the bytes (Node's decoder skips stray
 * bits and characters, so two spellings would otherwise name the same token).
 */

/** The bytes of a canonical base64url token, or undefined for anything else. */
export function strictBase64url(token: string, maxLength: number): Buffer | undefined {
  if (token.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  return bytes.toString('base64url') === token ? bytes : undefined;
}

/** The UTF-8 text of a canonical base64url token, or undefined (also for bytes that are not UTF-8). */
export function strictBase64urlText(token: string, maxLength: number): string | undefined {
  const bytes = strictBase64url(token, maxLength);
  if (!bytes) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
