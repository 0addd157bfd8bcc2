/** Caller text on pages loses the Unicode controls that reorder text, and nothing else. */
import { withoutBidiControls, withoutBidiControlsDeep } from '../../src/pages/plain-text';

describe('plain text for pages', () => {
  it('removes every bidirectional embedding, override and isolate control', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(withoutBidiControls(`a${all}b`)).toBe('ab');
  });

  it('keeps right-to-left letters, the direction marks, zero-width spaces and markup characters as they are', () => {
    const text = 'שלום \u200E\u200F\u061C\u200B <b>&amp;</b>';
    expect(withoutBidiControls(text)).toBe(text);
  });

  it('cleans every string of plain data and leaves other values and shapes alone', () => {
    const when = new Date(0);
    const cleaned = withoutBidiControlsDeep({ a: 'x\u202Ey', list: ['\u2066z\u2069', null, 3], nested: { flag: true, when } });
    expect(cleaned).toEqual({ a: 'xy', list: ['z', null, 3], nested: { flag: true, when } });
    expect(cleaned.nested.when).toBe(when);
  });
});
