import {
  apiKeyShape,
  displayPrefix,
  environmentOfKey,
  generateApiKey,
  hashApiKey,
  hashesEqual,
  isWellFormedApiKey,
} from '../../src/tenancy/api-key-format';
import { readCredentials } from '../../src/tenancy/credentials';
import { Environment } from '../../src/tenancy/environment';

const KEY = generateApiKey(Environment.TEST);

describe('API key format', () => {
  it('generates sk_<env>_ keys of 43 base62 characters (256 random bits) and a 6-character checksum', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey(Environment.PROD));
    for (const key of keys) expect(key).toMatch(/^sk_prod_[0-9A-Za-z]{49}$/);
    for (const key of keys) expect(apiKeyShape(key)).toBe('checksummed');
    expect(new Set(keys).size).toBe(200);
    // 43 base62 characters carry 43 * log2(62) ≈ 256 bits, above the 190 required.
    expect(43 * Math.log2(62)).toBeGreaterThan(190);
    const characters = new Set(keys.join('').replace(/sk_prod_/g, ''));
    expect(characters.size).toBeGreaterThan(55);
  });

  it('knows the environment of a key from its prefix', () => {
    expect(environmentOfKey(KEY)).toBe(Environment.TEST);
    expect(environmentOfKey(generateApiKey(Environment.PROD))).toBe(Environment.PROD);
    expect(environmentOfKey('sk_live_abc')).toBeUndefined();
    expect(isWellFormedApiKey(`${KEY}x`)).toBe(false);
  });

  it('refuses a key whose checksum does not match: a typo, a swap of neighbours, a changed environment, a made-up key', () => {
    const secret = KEY.slice('sk_test_'.length);
    const typo = `sk_test_${secret[0] === 'a' ? 'b' : 'a'}${secret.slice(1)}`;
    const swapped = `sk_test_${secret[1]}${secret[0]}${secret.slice(2)}`;
    expect(apiKeyShape(typo)).toBe('bad-checksum');
    if (secret[0] !== secret[1]) expect(apiKeyShape(swapped)).toBe('bad-checksum');
    expect(apiKeyShape(`sk_prod_${secret}`)).toBe('bad-checksum');
    expect(apiKeyShape(`sk_test_${'Z'.repeat(49)}`)).toBe('bad-checksum');
    expect(isWellFormedApiKey(typo)).toBe(false);
    expect(environmentOfKey(typo)).toBeUndefined();
  });

  it('still recognises keys issued before checksums (43 characters) as legacy keys', () => {
    const legacy = `sk_prod_${'Z'.repeat(43)}`;
    expect(apiKeyShape(legacy)).toBe('legacy');
    expect(isWellFormedApiKey(legacy)).toBe(true);
    expect(environmentOfKey(legacy)).toBe(Environment.PROD);
    expect(apiKeyShape(`sk_prod_${'Z'.repeat(44)}`)).toBe('malformed');
  });

  it('hashes with the server secret as key, and compares hashes in constant time', () => {
    expect(hashApiKey(KEY, 's1')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(KEY, 's1')).toBe(hashApiKey(KEY, 's1'));
    expect(hashApiKey(KEY, 's1')).not.toBe(hashApiKey(KEY, 's2'));
    expect(hashesEqual(hashApiKey(KEY, 's1'), hashApiKey(KEY, 's1'))).toBe(true);
    expect(hashesEqual(hashApiKey(KEY, 's1'), hashApiKey(KEY, 's2'))).toBe(false);
    expect(hashesEqual('ab', hashApiKey(KEY, 's1'))).toBe(false);
  });

  it('shows only the environment prefix and four secret characters', () => {
    expect(displayPrefix(KEY)).toBe(KEY.slice(0, 12));
    expect(displayPrefix(KEY)).toHaveLength(12);
  });
});

describe('reading credentials', () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('finds a legacy key (no checksum) too', () => {
    const legacy = `sk_test_${'a'.repeat(43)}`;
    expect(readCredentials(`Bearer ${legacy}`)).toEqual({ kind: 'key', key: legacy });
    expect(readCredentials(basic(`${legacy}:`))).toEqual({ kind: 'key', key: legacy });
  });

  it.each([
    ['a Bearer token', `Bearer ${KEY}`, undefined],
    ['a lower-case bearer scheme', `bearer ${KEY}`, undefined],
    ['an X-Api-Key header', undefined, KEY],
    ['Basic with the key as user name', basic(`${KEY}:`), undefined],
    ['Basic with the key as password', basic(`twilio:${KEY}`), undefined],
  ])('finds the key in %s', (_case, authorization, xApiKey) => {
    expect(readCredentials(authorization, xApiKey)).toEqual({ kind: 'key', key: KEY });
  });

  it.each([
    ['no headers', undefined, undefined, 'missing'],
    ['blank headers', '  ', '', 'missing'],
    ['a Bearer token that is not a key', 'Bearer hello', undefined, 'malformed'],
    ['an empty Bearer token', 'Bearer', undefined, 'malformed'],
    ['another scheme', `Token ${KEY}`, undefined, 'unsupported-scheme'],
    ['Basic without a key', basic('user:pass'), undefined, 'malformed'],
    ['a malformed X-Api-Key', undefined, 'sk_test_short', 'malformed'],
    ['a key with a wrong checksum', `Bearer ${KEY.slice(0, -1)}${KEY.endsWith('0') ? '1' : '0'}`, undefined, 'bad-checksum'],
    ['Basic with a key whose checksum is wrong', basic(`twilio:${KEY.slice(0, -1)}${KEY.endsWith('0') ? '1' : '0'}`), undefined, 'bad-checksum'],
  ])('reports %s', (_case, authorization, xApiKey, kind) => {
    expect(readCredentials(authorization, xApiKey)).toEqual({ kind });
  });
});
