/** Settings of issue 9's HTTP defences: TRUST_PROXY, the failed-authentication throttle, BOOTSTRAP_API_KEY in both key forms. */
import { ConfigError, loadConfig } from '../../src/config';
import { generateApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7 ,uniquelocal', ['10.0.0.0/8', '192.168.1.7', 'uniquelocal']],
    ['fd00::/8', ['fd00::/8']],
  ])('reads %s as %j', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', '300.1.1.1', 'loopback,nope', 'fd00::/129'])('refuses %s, naming the setting', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: must be true, false, a hop count/);
  });
});

describe('the failed-authentication throttle settings', () => {
  it('defaults to 20 failures in 60 seconds, and reads overrides (0 turns it off)', () => {
    expect(loadConfig({}).authThrottle).toEqual({ maxFailures: 20, windowMs: 60_000 });
    expect(loadConfig({ AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '300' }).authThrottle).toEqual({ maxFailures: 5, windowMs: 300_000 });
    expect(loadConfig({ AUTH_FAILURE_LIMIT: '0' }).authThrottle.maxFailures).toBe(0);
  });

  it('refuses values that are not counts', () => {
    expect(() => loadConfig({ AUTH_FAILURE_LIMIT: '-1' })).toThrow(/AUTH_FAILURE_LIMIT/);
    expect(() => loadConfig({ AUTH_FAILURE_WINDOW_SECONDS: '0' })).toThrow(/AUTH_FAILURE_WINDOW_SECONDS/);
  });
});

describe('BOOTSTRAP_API_KEY', () => {
  it('accepts a key with a checksum and a legacy key without one', () => {
    const checksummed = generateApiKey(Environment.PROD);
    const legacy = `sk_prod_${'a1'.repeat(21)}b`;
    expect(loadConfig({ BOOTSTRAP_API_KEY: checksummed }).bootstrapApiKey).toBe(checksummed);
    expect(loadConfig({ BOOTSTRAP_API_KEY: legacy }).bootstrapApiKey).toBe(legacy);
  });

  it('refuses a key whose checksum does not match', () => {
    const key = generateApiKey(Environment.PROD);
    const mistyped = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    expect(() => loadConfig({ BOOTSTRAP_API_KEY: mistyped })).toThrow(/BOOTSTRAP_API_KEY: must look like/);
  });
});
