/**
 * The keyed hashes tombstones keep instead of erased values: HMAC-SHA256 under a key derived from
 * APP_SECRET for this purpose alone (shared/derived-key.ts), over the tenant, the kind and the value. The
 * tenant is in the hash so one tenant's tombstone can never match another's value; without APP_SECRET a
 * stolen table cannot be checked against a list of phone numbers.
 */
import { createHmac, type KeyObject } from 'node:crypto';

import { derivedKey } from '../shared/derived-key';
import type { Tenant } from '../tenancy/environment';
import { TombstoneKind } from './tombstone.entity';

const PURPOSE = 'caller-memory/privacy-tombstone/v1';

/** Computes tombstone digests and the stand-in refs of erased calls. */
export class TombstoneDigests {
  private readonly key: KeyObject;

  constructor(appSecret: string) {
    this.key = derivedKey(appSecret, PURPOSE);
  }

  /** The digest (hex) of one value of a kind, in a tenant. */
  of(tenant: Tenant, kind: TombstoneKind, value: string): string {
    return createHmac('sha256', this.key).update(`${tenant.organisationId}\0${tenant.environment}\0${kind}\0${value}`).digest('hex');
  }

  /** The digest of a call id. */
  call(tenant: Tenant, callId: string): string {
    return this.of(tenant, TombstoneKind.CALL, callId);
  }

  /** The digest of a customer ref (its stored, lower-case form). */
  ref(tenant: Tenant, ref: string): string {
    return this.of(tenant, TombstoneKind.CUSTOMER_REF, ref);
  }

  /** The digest of a number in E.164. */
  phone(tenant: Tenant, e164: string): string {
    return this.of(tenant, TombstoneKind.PHONE, e164);
  }

  /** The digest of an external id as stored (key lower-cased, value trimmed). */
  external(tenant: Tenant, key: string, value: string): string {
    return this.of(tenant, TombstoneKind.EXTERNAL_ID, `${key}\0${value}`);
  }

  /**
   * The ref answered for an erased call: a random-looking UUID (version 4 layout) that names no stored
   * customer, the same for every start and end of that call, so retries agree with each other.
   */
  standInRef(callDigest: string): string {
    const bytes = createHmac('sha256', this.key).update(`stand-in-ref\0${callDigest}`).digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
