/** The screen pop's wording helpers: ordinals, counts, ages, durations, names for people. */
import { ago, count, dateTime, duration, humanise, humaniseInline, joinWords, ordinal } from '../../src/screen-pop/words';

const NOW = new Date('2026-02-07T10:30:00.000Z');
const before = (ms: number) => new Date(NOW.getTime() - ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('screen-pop words', () => {
  it('writes ordinals with the English suffixes, teens included', () => {
    const cases: [number, string][] = [
      [1, '1st'], [2, '2nd'], [3, '3rd'], [4, '4th'], [10, '10th'], [11, '11th'], [12, '12th'], [13, '13th'],
      [14, '14th'], [21, '21st'], [22, '22nd'], [23, '23rd'], [101, '101st'], [111, '111th'], [112, '112th'], [113, '113th'], [122, '122nd'],
    ];
    expect(cases.map(([n]) => ordinal(n))).toEqual(cases.map(([, word]) => word));
  });

  it('counts in the singular for one and the plural otherwise', () => {
    expect([count(0, 'call'), count(1, 'call'), count(2, 'call'), count(1, 'reply', 'replies'), count(3, 'reply', 'replies')]).toEqual([
      '0 calls',
      '1 call',
      '2 calls',
      '1 reply',
      '3 replies',
    ]);
  });

  it('says how long ago in whole minutes, hours or days, and "just now" under a minute or in the future', () => {
    expect([
      ago(before(0), NOW),
      ago(before(59_999), NOW),
      ago(before(MINUTE), NOW),
      ago(before(2 * MINUTE + 59_000), NOW),
      ago(before(59 * MINUTE), NOW),
      ago(before(HOUR), NOW),
      ago(before(5 * HOUR), NOW),
      ago(before(DAY - 1), NOW),
      ago(before(DAY), NOW),
      ago(before(2 * DAY + 3 * HOUR), NOW),
      ago(before(400 * DAY), NOW),
      ago(new Date(NOW.getTime() + 5 * MINUTE), NOW),
    ]).toEqual([
      'just now',
      'just now',
      '1 minute ago',
      '2 minutes ago',
      '59 minutes ago',
      '1 hour ago',
      '5 hours ago',
      '23 hours ago',
      '1 day ago',
      '2 days ago',
      '400 days ago',
      'just now',
    ]);
  });

  it('writes call lengths in seconds, minutes and hours', () => {
    expect([0, 1, 45, 60, 252, 3599, 3600, 3900, 7265].map(duration)).toEqual([
      '0 s',
      '1 s',
      '45 s',
      '1 min',
      '4 min 12 s',
      '59 min 59 s',
      '1 h',
      '1 h 5 min',
      '2 h 1 min',
    ]);
  });

  it('joins words as a sentence does', () => {
    expect([joinWords([]), joinWords(['a']), joinWords(['a', 'b']), joinWords(['a', 'b', 'c'])]).toEqual(['', 'a', 'a and b', 'a, b and c']);
  });

  it('humanises snake, kebab, dotted and camel-case names, with acronyms in capitals', () => {
    expect(
      ['last_summary', 'crm_id', 'csat', 'vip_tier', 'account.number', 'preferred-language', 'lastOrderId', 'five9_call_id', 'NAME', '__', 'id'].map(humanise),
    ).toEqual(['Last summary', 'CRM id', 'CSAT', 'VIP tier', 'Account number', 'Preferred language', 'Last order id', 'Five9 call id', 'Name', '__', 'Id']);
  });

  it('humanises for the middle of a sentence: lower case, acronyms kept', () => {
    expect(['crm_id', 'account_number', 'email', 'csat'].map(humaniseInline)).toEqual(['CRM id', 'account number', 'email', 'CSAT']);
  });

  it('writes a moment in the organisation’s time zone', () => {
    expect(dateTime(NOW, 'UTC')).toBe('Sat, 7 Feb 2026, 10:30');
    expect(dateTime(NOW, 'America/New_York')).toBe('Sat, 7 Feb 2026, 05:30');
    expect(dateTime(NOW, 'Asia/Kolkata')).toBe('Sat, 7 Feb 2026, 16:00');
  });
});
