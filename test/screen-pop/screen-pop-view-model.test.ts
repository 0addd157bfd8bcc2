/** What the agent reads on the screen pop, built from plain data: every wording branch. */
import { IntentStatus } from '../../src/intents/intent-status';
import { LineTypeName } from '../../src/identity/line-type';
import { buildScreenPopView, type ScreenPopData } from '../../src/screen-pop/screen-pop.view-model';

const NOW = new Date('2026-02-07T10:32:00.000Z');
const START = new Date('2026-02-07T10:30:00.000Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const before = (ms: number) => new Date(NOW.getTime() - ms);
const WORDING = { csatVariable: 'csat' };

function data(overrides: Partial<ScreenPopData> = {}, call: Partial<ScreenPopData['call']> = {}): ScreenPopData {
  return {
    now: NOW,
    timeZone: 'UTC',
    call: {
      callId: 'five9-42',
      startedAt: START,
      endedAt: null,
      durationSeconds: null,
      ani: '+16175550100',
      lineType: LineTypeName.MOBILE,
      confidence: 0.95,
      level: 'very_high',
      recommendation: 'reuse',
      sources: ['ani:mobile', 'external_id', 'recency:2day'],
      ...call,
    },
    mergedSince: false,
    earlier: { count: 3, lastAt: before(2 * DAY), sameNumber: 3 },
    matchedKeys: ['crm_id'],
    openIntents: [],
    variables: [{ name: 'name', value: 'Dana Smith', source: null, updatedAt: before(2 * DAY) }],
    recentCalls: [],
    context: null,
    ...overrides,
  };
}

const view = (d: ScreenPopData) => buildScreenPopView(d, WORDING);

describe('the screen pop’s view model', () => {
  describe('headline', () => {
    it('names a very likely returning caller, without a warning', () => {
      const v = view(data());
      expect([v.tone, v.headline, v.warning, v.title]).toEqual(['returning', 'Returning caller, very likely Dana Smith', null, 'Screen pop: Dana Smith']);
      expect(v.confidence).toBe('Very high confidence (0.95)');
    });

    it('says likely for high, probably for medium confidence', () => {
      expect(view(data({}, { level: 'high', confidence: 0.75 })).headline).toBe('Returning caller, likely Dana Smith');
      expect(view(data({}, { level: 'medium', confidence: 0.55 })).headline).toBe('Returning caller, probably Dana Smith');
      expect(view(data({}, { level: 'medium', confidence: 0.55 })).confidence).toBe('Medium confidence (0.55)');
    });

    it('words a returning caller without a saved name without naming anyone', () => {
      const v = view(data({ variables: [] }));
      expect(v.headline).toBe('Returning caller, very likely someone who called before (no name saved)');
      expect(v.title).toBe('Screen pop');
    });

    it('asks to confirm a confirm-level caller, with a visible warning', () => {
      const v = view(data({}, { recommendation: 'confirm', level: 'low', confidence: 0.4 }));
      expect([v.tone, v.headline]).toEqual(['confirm', 'Probably Dana Smith: confirm before sharing account details']);
      expect(v.warning).toMatch(/^We are not sure who this is\. Ask the caller to confirm who they are/);
      expect(v.confidence).toBe('Low confidence (0.40)');
    });

    it('asks to confirm without a name when none is saved', () => {
      const v = view(data({ variables: [] }, { recommendation: 'confirm', level: 'low', confidence: 0.35 }));
      expect(v.headline).toBe('Possibly a returning caller: confirm who they are before sharing account details');
      expect(v.warning).not.toBeNull();
    });

    it('calls a new or ignored caller new, and warns that a weak match’s details are not theirs', () => {
      const fresh = view(data({ earlier: { count: 0, lastAt: null, sameNumber: 0 }, variables: [] }, { recommendation: 'ignore', level: 'low', confidence: 0, sources: [] }));
      expect([fresh.tone, fresh.headline, fresh.warning, fresh.notices, fresh.title]).toEqual(['new', 'New caller', null, [], 'Screen pop']);
      const weak = view(data({}, { recommendation: 'ignore', level: 'low', confidence: 0.2, sources: ['ani:voip'] }));
      expect(weak.headline).toBe('New caller');
      expect(weak.title).toBe('Screen pop');
      expect(weak.notices).toEqual([expect.stringMatching(/too weak to rely on: treat this as a new caller/)]);
    });

    it('says so when the caller’s record was merged since the call started', () => {
      expect(view(data({ mergedSince: true })).notices).toEqual([expect.stringMatching(/merged with another since the call started/)]);
    });

    it('trims and collapses whitespace in the name, and treats a blank name as none', () => {
      const spaced = [{ name: 'name', value: '  Dana \n Smith ', source: null, updatedAt: NOW }];
      expect(view(data({ variables: spaced })).headline).toBe('Returning caller, very likely Dana Smith');
      expect(view(data({ variables: [{ ...spaced[0], value: '   ' }] })).headline).toMatch(/no name saved/);
    });
  });

  describe('how the caller was recognised', () => {
    it('words number, CRM id and recency as in the issue', () => {
      expect(view(data()).recognition).toEqual(['Same mobile number as 3 earlier calls', 'CRM id matched', 'Last called 2 days ago']);
    });

    it('uses the singular for one earlier call, and names the line type', () => {
      const one = { count: 1, lastAt: before(5 * MINUTE), sameNumber: 1 };
      expect(view(data({ earlier: one }, { sources: ['ani:landline'] })).recognition).toEqual(['Same landline number as 1 earlier call', 'Last called 5 minutes ago']);
      expect(view(data({ earlier: one }, { sources: ['ani:voip'] })).recognition[0]).toBe('Same VoIP number as 1 earlier call');
      expect(view(data({ earlier: one }, { sources: ['ani:unknown'] })).recognition[0]).toBe('Same phone number as 1 earlier call');
    });

    it('says the number is on file when no earlier call came from it', () => {
      expect(view(data({ earlier: { count: 2, lastAt: before(3 * 3_600_000), sameNumber: 0 } }, { sources: ['ani:mobile'] })).recognition).toEqual([
        'Mobile number already on file',
        'Last called 3 hours ago',
      ]);
    });

    it('words the customer reference, several external ids, an unnamed one, a shared number and a conflict', () => {
      expect(view(data({}, { sources: ['customer_ref'] })).recognition[0]).toMatch(/^Customer reference matched/);
      expect(view(data({ matchedKeys: ['email', 'crm_id', 'account_number'] }, { sources: ['external_id'] })).recognition[0]).toBe(
        'Account number, CRM id and email matched',
      );
      expect(view(data({ matchedKeys: [] }, { sources: ['external_id'] })).recognition[0]).toBe('An external id (such as a CRM id) matched');
      expect(view(data({}, { sources: ['ani:mobile', 'ani:shared'] })).recognition[1]).toBe('That number is shared by more than one caller, so it counted for half');
      expect(view(data({}, { sources: ['external_id', 'conflict'] })).recognition[1]).toBe('The number belongs to a different caller; the external id decided');
      expect(view(data({}, { sources: ['something_new'] })).recognition[0]).toBe('Other signal: something_new');
    });

    it('says nothing matched, and that it is a first call, for a new caller', () => {
      const first = { earlier: { count: 0, lastAt: null, sameNumber: 0 } };
      expect(view(data(first, { sources: [], recommendation: 'ignore' })).recognition).toEqual([
        'Nothing matched: the number, ids and reference are new to us',
        'First call we know of',
      ]);
      expect(view(data(first, { sources: [], ani: null, recommendation: 'ignore' })).recognition[0]).toBe(
        'Nothing matched: no usable caller number, id or reference was sent',
      );
    });

    it('falls back on the stored recency when the earlier calls are gone', () => {
      expect(view(data({ earlier: { count: 0, lastAt: null, sameNumber: 0 } }, { sources: ['ani:mobile', 'recency:1day'] })).recognition).toEqual([
        'Mobile number already on file',
        'Last called 1 day before this call',
      ]);
    });
  });

  describe('open requests', () => {
    const intent = (attemptCount: number, firstDaysAgo: number, lastDaysAgo: number, status = IntentStatus.OPEN) => ({
      name: 'refund_request',
      status,
      attemptCount,
      firstRaisedAt: before(firstDaysAgo * DAY),
      lastRaisedAt: before(lastDaysAgo * DAY),
    });

    it('words attempts as ordinals with the age of the first and last attempt', () => {
      const v = view(data({ openIntents: [intent(3, 5, 1), intent(2, 2, 0), intent(1, 0, 0)] }));
      expect(v.intents).toEqual([
        'Refund request: 3rd attempt, first raised 5 days ago, last 1 day ago',
        'Refund request: 2nd attempt, first raised 2 days ago, last just now',
        'Refund request: 1st attempt, raised just now',
      ]);
      expect(v.intentsNote).toBeNull();
    });

    it('uses 11th, 12th, 13th and 21st for long-running requests', () => {
      expect(view(data({ openIntents: [11, 12, 13, 21].map((n) => intent(n, 9, 1)) })).intents.map((t) => t.split(',')[0])).toEqual([
        'Refund request: 11th attempt',
        'Refund request: 12th attempt',
        'Refund request: 13th attempt',
        'Refund request: 21st attempt',
      ]);
    });

    it('says when the caller gave up last time', () => {
      expect(view(data({ openIntents: [intent(2, 3, 1, IntentStatus.ABANDONED)] })).intents[0]).toBe(
        'Refund request: 2nd attempt, first raised 3 days ago, last 1 day ago (the caller gave up last time)',
      );
    });

    it('says there are none in words', () => {
      expect(view(data({ openIntents: [] }))).toMatchObject({ intents: [], intentsNote: 'No open requests.' });
    });
  });

  describe('saved details', () => {
    it('shows every variable with a humanised name: name first, then notes, the satisfaction score, then the rest', () => {
      const variables = [
        { name: 'account.tier', value: 'VIP', source: 'crm', updatedAt: before(3 * DAY) },
        { name: 'csat', value: '4', source: null, updatedAt: before(2 * DAY) },
        { name: 'last_summary', value: 'Wants a refund for order 77', source: null, updatedAt: before(2 * DAY) },
        { name: 'name', value: 'Dana Smith', source: null, updatedAt: before(10 * MINUTE) },
        { name: 'preferred_language', value: 'en', source: null, updatedAt: before(90 * MINUTE) },
      ];
      expect(view(data({ variables })).variables).toEqual([
        { label: 'Name', value: 'Dana Smith', note: 'saved 10 minutes ago' },
        { label: 'Last summary', value: 'Wants a refund for order 77', note: 'saved 2 days ago' },
        { label: 'CSAT (satisfaction score)', value: '4', note: 'saved 2 days ago' },
        { label: 'Account tier', value: 'VIP', note: 'saved 3 days ago, from crm' },
        { label: 'Preferred language', value: 'en', note: 'saved 1 hour ago' },
      ]);
    });

    it('takes the satisfaction-score variable’s name from the settings', () => {
      const variables = [{ name: 'survey_score', value: '5', source: null, updatedAt: NOW }];
      expect(buildScreenPopView(data({ variables }), { csatVariable: 'survey_score' }).variables[0].label).toBe('Survey score (satisfaction score)');
    });

    it('says there are none in words', () => {
      expect(view(data({ variables: [] }))).toMatchObject({ variables: [], variablesNote: 'No saved details.' });
    });
  });

  describe('earlier calls', () => {
    const call = (daysAgo: number, more: Partial<ScreenPopData['recentCalls'][number]> = {}) => ({
      callId: `c-${daysAgo}`,
      startedAt: before(daysAgo * DAY),
      endedAt: before(daysAgo * DAY - 252_000),
      durationSeconds: 252,
      intent: 'refund_request',
      intentStatus: IntentStatus.OPEN,
      variablesWritten: ['last_summary', 'csat'],
      notes: null,
      ...more,
    });

    it('words when, how long, about what and how it ended, with the notes the call wrote', () => {
      const v = view(data({ recentCalls: [call(2, { notes: 'Wants a refund for order 77' }), call(4, { intentStatus: IntentStatus.RESOLVED, variablesWritten: [] })], earlier: { count: 2, lastAt: before(2 * DAY), sameNumber: 2 } }));
      expect(v.calls).toEqual([
        { when: '2 days ago', at: 'Thu, 5 Feb 2026, 10:32', length: '4 min 12 s', topic: 'Refund request, still open', notes: 'Wants a refund for order 77', saved: 'Saved last summary and CSAT' },
        { when: '4 days ago', at: 'Tue, 3 Feb 2026, 10:32', length: '4 min 12 s', topic: 'Refund request, resolved', notes: null, saved: null },
      ]);
      expect(v.callsNote).toBe('2 earlier calls, newest first.');
    });

    it('words calls without an intent, without an end, recorded by an end alone, and abandoned', () => {
      const endOnly = call(2, { durationSeconds: 0 });
      endOnly.endedAt = endOnly.startedAt;
      const v = view(data({ recentCalls: [call(1, { intent: null, intentStatus: null, endedAt: null, durationSeconds: null }), endOnly, call(3, { intentStatus: IntentStatus.ABANDONED })] }));
      expect(v.calls.map((c) => [c.topic, c.length])).toEqual([
        ['No intent recorded', 'no end recorded'],
        ['Refund request, still open', 'not timed'],
        ['Refund request, abandoned', '4 min 12 s'],
      ]);
    });

    it('says how many of how many are shown, in the organisation’s time zone', () => {
      const v = view(data({ timeZone: 'America/New_York', recentCalls: [call(2)], earlier: { count: 999, lastAt: before(2 * DAY), sameNumber: 999 } }));
      expect(v.callsNote).toBe('The last 1 of 999 earlier calls, newest first.');
      expect(v.calls[0].at).toBe('Thu, 5 Feb 2026, 05:32');
      expect(v.timeZone).toBe('America/New_York');
      expect(view(data({ recentCalls: [call(2)], earlier: { count: 1, lastAt: before(2 * DAY), sameNumber: 1 } })).callsNote).toBe('1 earlier call, newest first.');
    });

    it('says there are none in words', () => {
      expect(view(data({ recentCalls: [], earlier: { count: 0, lastAt: null, sameNumber: 0 } })).callsNote).toBe('No earlier calls.');
    });
  });

  describe('this call', () => {
    it('says when it started, in the organisation’s zone, and how long it took once ended', () => {
      expect(view(data()).thisCall).toBe('Call five9-42 started 2 minutes ago (Sat, 7 Feb 2026, 10:30).');
      expect(view(data({}, { endedAt: NOW, durationSeconds: 120 })).thisCall).toBe('Call five9-42 started 2 minutes ago (Sat, 7 Feb 2026, 10:30), ended after 2 min.');
    });

    it('carries the start’s one-line context as it was answered', () => {
      expect(view(data({ context: 'Last called 2 days ago (2026-02-05) about refund_request (open).' })).context).toBe(
        'Last called 2 days ago (2026-02-05) about refund_request (open).',
      );
      expect(view(data({ context: null })).context).toBeNull();
    });
  });

  describe('caller text that would reorder the page', () => {
    const RLO = '\u202E';
    const controls = /[\u202A-\u202E\u2066-\u2069]/;

    it('drops bidi overrides from caller text, so a saved name cannot turn the confirm warning around', () => {
      const spoof = `Dana ${RLO}SLIATED TNUOCCA GNIRAHS EROFEB MRIFNOC TON OD`;
      const v = view(
        data(
          {
            variables: [
              { name: 'name', value: spoof, source: `crm${RLO}`, updatedAt: before(DAY) },
              { name: 'notes', value: `VIP ${RLO}evig`, source: null, updatedAt: before(DAY) },
            ],
            recentCalls: [{ callId: `c${RLO}`, startedAt: before(DAY), endedAt: null, durationSeconds: null, intent: null, intentStatus: null, variablesWritten: ['notes'], notes: `x${RLO}\u2066y\u2069` }],
            context: `Notes: VIP ${RLO}evig`,
          },
          { recommendation: 'confirm', level: 'low', confidence: 0.4, callId: `five9-${RLO}42` },
        ),
      );
      expect(v.headline).toBe('Probably Dana SLIATED TNUOCCA GNIRAHS EROFEB MRIFNOC TON OD: confirm before sharing account details');
      expect(v.thisCall).toBe('Call five9-42 started 2 minutes ago (Sat, 7 Feb 2026, 10:30).');
      expect(JSON.stringify(v)).not.toMatch(controls);
    });

    it('keeps right-to-left letters and treats a name of controls alone as no name', () => {
      expect(view(data({ variables: [{ name: 'name', value: 'דנה כהן', source: null, updatedAt: before(DAY) }] })).headline).toBe('Returning caller, very likely דנה כהן');
      expect(view(data({ variables: [{ name: 'name', value: `${RLO} \u2067`, source: null, updatedAt: before(DAY) }] })).headline).toBe(
        'Returning caller, very likely someone who called before (no name saved)',
      );
    });
  });
});
