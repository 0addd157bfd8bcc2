/**
 * The one rule for text a client sends that we may store or look up: no NUL character and no unpaired
 * UTF-16 surrogate. PostgreSQL refuses NUL in text ("invalid byte sequence for encoding UTF8: 0x00"), and
 * SQLite cuts a statement at it when the ORM writes the value into the SQL. A lone surrogate (`"\ud800"`
 * in JSON) has no UTF-8 form: the drivers store U+FFFD instead, so what was stored is not what was sent,
 * and two different values collide in a unique index. Both transports refuse such text as bad input.
 */

// Without the `u` flag a regex sees UTF-16 code units, which is what finds a surrogate without its pair.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with text that breaks the rule; the path names the field. */
export const UNSTORABLE_TEXT = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/** True for text the database can store exactly as sent. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}
