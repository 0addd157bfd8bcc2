/**
 * Global object ids (the Relay `Node` interface): `base64url("<Type>:<row id>")`, such as the id of
 * `Customer` row `0190a3b4-…`. Opaque to clients, stable (a row id never changes), and unique across
 * types. An id names a row, not a tenant: whether the caller may see that row is decided where it is
 * loaded, through the request's tenant-bound EntityManager (node-lookup.ts).
 */
import { isCanonicalUuid } from '../shared/row-id';
import { strictBase64urlText } from '../shared/strict-base64url';

/** The object types that implement `Node`. */
export const NODE_TYPES = ['Customer', 'Call', 'Intent'] as const;

/** The name of an object type that implements `Node`. */
export type NodeTypeName = (typeof NODE_TYPES)[number];

/** What a global id names: a type and a row id. */
export interface GlobalId {
  type: NodeTypeName;
  rowId: string;
}

// Far above any id we make ("Customer:" and a UUID take 60 characters), far below a body limit.
const MAX_ID_LENGTH = 128;

/** The global id of a row of a `Node` type. */
export function toGlobalId(type: NodeTypeName, rowId: string): string {
  return Buffer.from(`${type}:${rowId}`, 'utf8').toString('base64url');
}

/** What a global id names, or undefined for anything `toGlobalId` did not make. */
export function fromGlobalId(id: string): GlobalId | undefined {
  const text = strictBase64urlText(id, MAX_ID_LENGTH);
  if (text === undefined) return undefined;
  const colon = text.indexOf(':');
  const type = text.slice(0, colon) as NodeTypeName;
  const rowId = text.slice(colon + 1);
  if (colon < 0 || !NODE_TYPES.includes(type) || !isCanonicalUuid(rowId)) return undefined;
  return { type, rowId };
}

/** True for an id `toGlobalId` made (whether or not its row exists or is the caller's). */
export function isGlobalId(value: unknown): boolean {
  return typeof value === 'string' && fromGlobalId(value) !== undefined;
}
