/** Identity hints as the domain sees them: cleaned (placeholders and blanks gone, ANI read) and fingerprinted. */
import { createHash } from 'node:crypto';

import type { MemoryRules } from '../shared/memory-rules';
import { isCanonicalUuid } from '../shared/row-id';
import { cleanExternalIds, cleanHint } from './hints';
import { LineTypeName } from './line-type';
import { readAni, type AniReading } from './phone-number';

/** Hints as a transport hands them over (already type-checked at the edge, not yet cleaned). */
export interface IdentityHintsInput {
  ani?: string | null;
  dnis?: string | null;
  externalIds?: Record<string, string> | null;
  customerRef?: string | null;
  lineType?: LineTypeName | null;
}

/** Hints after cleaning: what can actually be matched on. */
export interface CleanHints {
  ani: AniReading;
  dnis?: string;
  /** Identifying external ids (per-call ids removed), keys lower-cased. */
  externalIds: Record<string, string>;
  /** True when any external id was given, identifying or not. */
  externalIdsPresent: boolean;
  customerRef?: string;
  lineType?: LineTypeName;
}

/** External ids one request may carry (real integrations send a handful; each becomes an identity). */
export const MAX_EXTERNAL_IDS = 20;
export const TOO_MANY_EXTERNAL_IDS = `at most ${MAX_EXTERNAL_IDS} external_ids per request`;

/** Cleans raw hints per contract §2 and §5. */
export function cleanHints(input: IdentityHintsInput, rules: MemoryRules): CleanHints {
  const externals = cleanExternalIds(input.externalIds, rules.nonIdentifyingKeys);
  const ref = cleanHint(input.customerRef);
  return {
    ani: readAni(input.ani, rules.defaultRegion),
    dnis: cleanHint(input.dnis),
    externalIds: externals.identifying,
    externalIdsPresent: externals.present,
    customerRef: refKey(ref) ?? ref,
    lineType: input.lineType ?? undefined,
  };
}

/**
 * The stored form of a ref that can name a customer (a UUID, lower-cased: UUIDs are case-insensitive and
 * SQLite compares text exactly), or null: any other ref, like an unknown one, simply matches nothing.
 */
export function refKey(ref: string | null | undefined): string | null {
  const key = ref?.toLowerCase();
  return key !== undefined && isCanonicalUuid(key) ? key : null;
}

/** At least one of ani, external_ids or customer_ref is present (a withheld ANI counts). */
export function hasUsableHint(hints: CleanHints): boolean {
  return hints.ani.kind !== 'absent' || hints.externalIdsPresent || hints.customerRef !== undefined;
}

/** A stable digest of what the hints say, so a retry with the same hints is told from a conflicting one. */
export function fingerprint(value: unknown): string {
  // The first 128 bits: as sure as the whole digest at telling a retry from another request (a collision
  // takes about 2^64 tries), and half the bytes on every call row (calls keep two).
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The part of cleaned hints that identifies a start request. */
export function hintsFingerprint(hints: CleanHints): string {
  const ani = hints.ani.kind === 'number' ? hints.ani.e164 : hints.ani.kind === 'withheld' ? 'withheld' : null;
  return fingerprint({
    ani,
    dnis: hints.dnis ?? null,
    externalIds: hints.externalIds,
    customerRef: hints.customerRef ?? null,
    lineType: hints.lineType ?? null,
  });
}
