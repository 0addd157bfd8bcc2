/** Keys derived from APP_SECRET, held as KeyObjects: the same bytes as before, so stored hashes and links still match. */
import { createHmac } from 'node:crypto';

import { derivedKey } from '../../src/shared/derived-key';

describe('derived keys', () => {
  it('hold the same key as HMAC-SHA256(secret, purpose), so existing tokens, hashes and digests still verify', () => {
    const secret = 'a-secret-of-forty-characters-xxxxxxxxxxx';
    const purpose = 'caller-memory/privacy-tombstone/v1';
    const bytes = createHmac('sha256', secret).update(purpose).digest();
    const key = derivedKey(secret, purpose);
    expect(key.export().equals(bytes)).toBe(true);
    expect(createHmac('sha256', key).update('value').digest('hex')).toBe(createHmac('sha256', bytes).update('value').digest('hex'));
  });
});
