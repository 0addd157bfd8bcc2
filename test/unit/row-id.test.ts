/** Row ids are version-7 UUIDs: valid, unique, and ordered by the millisecond they were made in. */
import { newRowId } from '../../src/shared/row-id';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('row ids', () => {
  it('are version-7 UUIDs with the RFC variant', () => {
    for (let i = 0; i < 1000; i++) expect(newRowId()).toMatch(V7);
  });

  it('carry the time they were made in their first 48 bits', () => {
    const at = Date.UTC(2026, 1, 7, 10, 30);
    expect(parseInt(newRowId(at).replace('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('sort by creation time across milliseconds', () => {
    const ids = [1_000, 1_001, 2_000, 1_700_000_000_000].map((t) => newRowId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('do not repeat', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newRowId(1_000)));
    expect(ids.size).toBe(20_000);
  });
});
