import { canonicalTimeZone } from '../../src/shared/time-zone';

describe('organisation time zones', () => {
  it('stores a listed zone in its own spelling whatever the case typed', () => {
    expect(canonicalTimeZone('europe/london')).toBe('Europe/London');
    expect(canonicalTimeZone('America/New_York')).toBe('America/New_York');
  });

  it('keeps a valid alias as typed instead of the older name the runtime prefers (Asia/Kolkata, not Asia/Calcutta)', () => {
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
  });

  it('refuses unknown zones and text that is no zone name', () => {
    for (const bad of ['Mars/Olympus', '', ' Europe/London', '../etc/passwd', 'Europe/London; drop table', 'x'.repeat(80)]) {
      expect(canonicalTimeZone(bad)).toBeNull();
    }
  });
});
