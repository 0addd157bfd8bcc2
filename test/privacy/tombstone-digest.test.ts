/** The tombstones' keyed hashes: one per tenant, kind and value, useless without APP_SECRET. */
import { createHash } from 'node:crypto';

import { TombstoneDigests } from '../../src/privacy/tombstone-digest';
import { TombstoneKind } from '../../src/privacy/tombstone.entity';
import { isCanonicalUuid } from '../../src/shared/row-id';
import { Environment, type Tenant } from '../../src/tenancy/environment';

const A: Tenant = { organisationId: '11111111-1111-4111-8111-111111111111', environment: Environment.TEST };
const B: Tenant = { organisationId: '22222222-2222-4222-8222-222222222222', environment: Environment.TEST };
const A_PROD: Tenant = { ...A, environment: Environment.PROD };

describe('tombstone digests', () => {
  const digests = new TombstoneDigests('a-secret-of-at-least-some-length');

  it('are 64 hex characters and the same for the same tenant, kind and value', () => {
    expect(digests.phone(A, '+14155550100')).toMatch(/^[0-9a-f]{64}$/);
    expect(digests.phone(A, '+14155550100')).toBe(digests.phone(A, '+14155550100'));
  });

  it('differ between tenants, environments and kinds, so one tenant’s tombstone never matches another’s value', () => {
    const value = 'shared-value';
    const all = [
      digests.of(A, TombstoneKind.PHONE, value),
      digests.of(B, TombstoneKind.PHONE, value),
      digests.of(A_PROD, TombstoneKind.PHONE, value),
      digests.of(A, TombstoneKind.CALL, value),
      digests.of(A, TombstoneKind.CUSTOMER_REF, value),
      digests.of(A, TombstoneKind.EXTERNAL_ID, value),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('keep an external id’s key and value apart (crm_id=a:b is not crm_id:a=b)', () => {
    expect(digests.external(A, 'crm_id', 'a:b')).not.toBe(digests.external(A, 'crm_id:a', 'b'));
  });

  it('depend on APP_SECRET: another secret, or a plain hash of the value, gives another digest', () => {
    const other = new TombstoneDigests('another-secret-of-some-length');
    expect(other.phone(A, '+14155550100')).not.toBe(digests.phone(A, '+14155550100'));
    expect(digests.phone(A, '+14155550100')).not.toBe(createHash('sha256').update('+14155550100').digest('hex'));
  });

  it('give an erased call a stable stand-in ref shaped like a version-4 UUID', () => {
    const ref = digests.standInRef(digests.call(A, 'call-1'));
    expect(isCanonicalUuid(ref)).toBe(true);
    expect(ref[14]).toBe('4');
    expect(digests.standInRef(digests.call(A, 'call-1'))).toBe(ref);
    expect(digests.standInRef(digests.call(A, 'call-2'))).not.toBe(ref);
  });
});
