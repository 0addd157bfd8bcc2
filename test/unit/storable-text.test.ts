/** The one rule for client text (shared/text.ts) and the storable range of instants (shared/storable-date.ts). */
import { isStorableDate, isStorableMs, MAX_STORABLE_MS, MIN_STORABLE_MS } from '../../src/shared/storable-date';
import { isStorableText } from '../../src/shared/text';

describe('isStorableText', () => {
  it.each([
    ['plain text', 'John Doe'],
    ['the empty string', ''],
    ['accents and other scripts', 'Zoë, 東京, עברית'],
    ['a surrogate pair (an emoji)', 'call me 😀'],
    ['control characters other than NUL', 'tab\there\nnew line\u0001'],
  ])('accepts %s', (_case, text) => {
    expect(isStorableText(text)).toBe(true);
  });

  it.each([
    ['a NUL', 'a\u0000b'],
    ['a lone high surrogate', 'x\ud800'],
    ['a lone high surrogate before a normal character', '\ud83dx'],
    ['a lone low surrogate', '\udc00x'],
    ['a pair in the wrong order', '\udc00\ud800'],
    ['a NUL alone', '\u0000'],
  ])('refuses %s', (_case, text) => {
    expect(isStorableText(text)).toBe(false);
  });
});

describe('storable instants', () => {
  it('spans the years 1 to 9999 in whole milliseconds', () => {
    expect(new Date(MIN_STORABLE_MS).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(new Date(MAX_STORABLE_MS).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(isStorableMs(0)).toBe(true);
    expect(isStorableMs(Date.now())).toBe(true);
  });

  it.each([MIN_STORABLE_MS - 1, MAX_STORABLE_MS + 1, 8.64e15, -8.64e15, 1.5, Number.NaN, Infinity])('refuses %p ms', (ms) => {
    expect(isStorableMs(ms)).toBe(false);
  });

  it('refuses year 0 and invalid dates', () => {
    expect(isStorableDate(new Date('0000-01-01T00:00:00Z'))).toBe(false);
    expect(isStorableDate(new Date('nope'))).toBe(false);
    expect(isStorableDate(new Date('0001-01-01T00:00:00Z'))).toBe(true);
  });
});
