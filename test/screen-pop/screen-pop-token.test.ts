/** Signed screen-pop links: tokens that only this service can make, for one call, until they expire. */
import { createHmac } from 'node:crypto';

import { ManualClock } from '../../src/shared/clock';
import { ScreenPopLinks, type LinkedCall } from '../../src/screen-pop/screen-pop-links';
import { screenPopKey, signToken, verifyToken, type ScreenPopClaims } from '../../src/screen-pop/screen-pop-token';
import { Environment } from '../../src/tenancy/environment';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const KEY = screenPopKey(SECRET);
const CLAIMS: ScreenPopClaims = {
  organisationId: '6f1c2b1e-3d4a-4b5c-8d6e-7f8091a2b3c4',
  environment: Environment.PROD,
  customerId: '019bd5a0-0000-7000-8000-000000000001',
  callRowId: '019bd5a0-0000-7000-8000-000000000002',
  expiresAt: 1_770_500_000,
};
const BOUNDARY_MS = CLAIMS.expiresAt * 1000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('screen-pop tokens', () => {
  const token = signToken(KEY, CLAIMS);

  it('round-trips the claims through a 120-character base64url token', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{120}$/);
    expect(verifyToken(KEY, token, BOUNDARY_MS - 1)).toEqual({ ok: true, claims: CLAIMS });
  });

  it('signs the same claims to the same token, and any other call, customer, tenant or expiry to another', () => {
    expect(signToken(KEY, { ...CLAIMS })).toBe(token);
    const others = [
      { ...CLAIMS, callRowId: '019bd5a0-0000-7000-8000-000000000003' },
      { ...CLAIMS, customerId: '019bd5a0-0000-7000-8000-000000000003' },
      { ...CLAIMS, organisationId: '6f1c2b1e-3d4a-4b5c-8d6e-7f8091a2b3c5' },
      { ...CLAIMS, environment: Environment.TEST },
      { ...CLAIMS, expiresAt: CLAIMS.expiresAt + 1 },
    ].map((claims) => signToken(KEY, claims));
    expect(new Set([token, ...others]).size).toBe(6);
  });

  it('refuses the token with any one character changed, whichever character it is', () => {
    for (let i = 0; i < token.length; i++) {
      for (const replacement of [BASE64URL[(BASE64URL.indexOf(token[i]) + 1) % 64], BASE64URL[(BASE64URL.indexOf(token[i]) + 33) % 64]]) {
        const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
        expect(verifyToken(KEY, tampered, BOUNDARY_MS - 1).ok).toBe(false);
      }
    }
  });

  it('refuses the token with any one bit of any byte flipped', () => {
    const bytes = Buffer.from(token, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[i] ^= 1 << bit;
        expect(verifyToken(KEY, flipped.toString('base64url'), BOUNDARY_MS - 1).ok).toBe(false);
      }
    }
  });

  it('refuses truncated, extended, padded and non-base64url tokens as malformed', () => {
    const bad = [token.slice(0, -1), token.slice(0, 60), token + 'A', `${token}==`, token.replace(/.$/, '+'), '', 'x'.repeat(10_000), `${token.slice(0, -1)}.`, `${token.slice(0, -1)}\u00e9`];
    for (const text of bad) expect(verifyToken(KEY, text, 0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a token signed under another secret, or under APP_SECRET itself (the API-key hashing key)', () => {
    expect(verifyToken(KEY, signToken(screenPopKey(`${SECRET}-other`), CLAIMS), 0)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyToken(KEY, signToken(Buffer.from(SECRET), CLAIMS), 0)).toEqual({ ok: false, reason: 'signature' });
    // The derived key is its own: neither the secret nor what the API-key hash computes with it.
    expect(KEY.export().equals(Buffer.from(SECRET))).toBe(false);
    expect(KEY.export().toString('hex')).not.toBe(createHmac('sha256', SECRET).update(SECRET).digest('hex'));
  });

  it('refuses a token of another version, even one signed with the right key', () => {
    expect(verifyToken(KEY, signToken(KEY, CLAIMS, 2), 0)).toEqual({ ok: false, reason: 'version' });
    expect(verifyToken(KEY, signToken(KEY, CLAIMS, 0), 0)).toEqual({ ok: false, reason: 'version' });
  });

  it('expires at exactly the expiry second: valid a millisecond before, refused at and after it', () => {
    expect(verifyToken(KEY, token, BOUNDARY_MS - 1).ok).toBe(true);
    expect(verifyToken(KEY, token, BOUNDARY_MS)).toEqual({ ok: false, reason: 'expired', claims: CLAIMS });
    expect(verifyToken(KEY, token, BOUNDARY_MS + 86_400_000)).toEqual({ ok: false, reason: 'expired', claims: CLAIMS });
  });
});

describe('screen-pop links', () => {
  const clock = new ManualClock(new Date('2026-02-07T10:30:00.000Z'));
  const call: LinkedCall = {
    id: CLAIMS.callRowId,
    organisationId: CLAIMS.organisationId,
    environment: Environment.TEST,
    customer: { id: CLAIMS.customerId },
    startedAt: new Date('2026-02-07T10:30:00.250Z'),
  };
  const TTL = 12 * 3_600_000;
  const links = new ScreenPopLinks({ appSecret: SECRET, ttlMs: TTL }, clock);

  it('links a call to /screen-pop/<token> under the base, the same link every time', () => {
    const url = links.urlFor('https://memory.example.com', call);
    expect(url).toMatch(/^https:\/\/memory\.example\.com\/screen-pop\/[A-Za-z0-9_-]{120}$/);
    expect(links.urlFor('https://memory.example.com', { ...call })).toBe(url);
  });

  it('makes a link valid from the call’s start until start + TTL, whenever it is signed', () => {
    const token = links.urlFor('http://x', call).split('/').pop()!;
    clock.set(new Date(call.startedAt.getTime() + TTL - 1000));
    expect(links.check(token).ok).toBe(true);
    clock.set(new Date(Math.floor((call.startedAt.getTime() + TTL) / 1000) * 1000));
    expect(links.check(token)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('bases links on PUBLIC_URL when set, whatever the request says', () => {
    const configured = new ScreenPopLinks({ appSecret: SECRET, ttlMs: TTL, publicUrl: 'https://memory.example.com/cm' }, clock);
    expect(configured.baseFor({ protocol: 'http', host: 'evil.example' })).toBe('https://memory.example.com/cm');
  });

  it('bases links on the request’s protocol and host until PUBLIC_URL is set, and on localhost for an unusable host', () => {
    expect(links.baseFor({ protocol: 'https', host: 'Agent.Example.com:8443' })).toBe('https://agent.example.com:8443');
    expect(links.baseFor({ protocol: 'http', host: '[::1]:4000' })).toBe('http://[::1]:4000');
    expect(links.baseFor({ protocol: 'http', host: '10.0.0.5' })).toBe('http://10.0.0.5');
    for (const host of [undefined, '', 'evil.example/phish?', 'a b', 'user@host', 'host:port', '<script>']) {
      expect(links.baseFor({ protocol: 'http', host })).toBe('http://localhost');
    }
    expect(links.baseFor({ protocol: 'gopher', host: 'a.example' })).toBe('http://a.example');
  });
});
