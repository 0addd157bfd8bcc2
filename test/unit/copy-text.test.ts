import { copyText } from '../../src/db/copy-text';

describe('a value in COPY’s text format', () => {
  it('writes null and undefined as \\N, booleans as t and f, and dates in ISO 8601', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText(true)).toBe('t');
    expect(copyText(false)).toBe('f');
    expect(copyText(new Date(Date.UTC(2026, 11, 1, 3, 4, 5, 678)))).toBe('2026-12-01T03:04:05.678Z');
    expect(copyText(12.5)).toBe('12.5');
  });

  it('escapes backslashes, tabs and line breaks, so text never ends a column or a row, nor reads as null', () => {
    expect(copyText('a\tb\nc\r\nd')).toBe('a\\tb\\nc\\r\\nd');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText('C:\\dir\\.')).toBe('C:\\\\dir\\\\.');
    expect(copyText('plain "quoted" \'text\'')).toBe('plain "quoted" \'text\'');
  });

  it('needs nothing from its module, so a worker can run its source on its own', () => {
    const fromSource = new Function(`${copyText.toString()}; return copyText;`)() as typeof copyText;
    expect(fromSource('x\ty')).toBe('x\\ty');
    expect(fromSource(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });
});
