/**
 * Form bodies (`variables[name]=…`, `identity_hints.ani=…`) parsed with qs, keeping every key as data.
 * qs drops keys that name Object.prototype members (`constructor`, `toString`) unless its objects have no
 * prototype, and drops `__proto__` always; but those are valid variable names and external id keys, and
 * a key must be stored or refused, never lost quietly.
 */
import { parse } from 'qs';

// Stands in for `__proto__` while qs parses. A client sending it literally gets what `__proto__` gives.
const PROTO = '__proto__';
const STAND_IN = '\u0000proto\u0000';

/** The parsed value with the stand-in turned back into `__proto__`, as own data properties. */
function restoreProto(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restoreProto);
  if (value === null || typeof value !== 'object') return value;
  const restored: Record<string, unknown> = Object.create(null);
  for (const [key, entry] of Object.entries(value)) {
    Object.defineProperty(restored, key.replaceAll(STAND_IN, PROTO), { value: restoreProto(entry), enumerable: true, writable: true, configurable: true });
  }
  return restored;
}

/** Parses a form body with bracket and dot keys into objects without prototypes. */
export function parseFormBody(text: string): Record<string, unknown> {
  const parsed = parse(text, {
    allowDots: true,
    depth: 4,
    parameterLimit: 1000,
    arrayLimit: 100,
    plainObjects: true,
    decoder: (part, decode, charset, type) => {
      const decoded = decode(part, decode, charset) as string;
      return type === 'key' ? decoded.replaceAll(PROTO, STAND_IN) : decoded;
    },
  });
  return restoreProto(parsed) as Record<string, unknown>;
}
