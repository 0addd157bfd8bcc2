/** The Five9 seed flow through GraphQL: first call, end with an intent and variables, second call. */
import { ManualClock } from '../../src/shared/clock';
import { graphqlClient, type GraphQLClient } from '../support/graphql-client';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const START = `mutation Start($input: StartCallInput!) {
  startCall(input: $input) {
    replayed
    customer { ref callCount }
    identification { confidence level sources recommendation }
    openIntents { name status attemptCount }
    variables { name value source ttlSeconds }
    call { callId ani lineType startedAt }
  }
}`;
const END = `mutation End($input: EndCallInput!) {
  endCall(input: $input) { intentsUpdated variablesUpdated replayed call { callId durationSeconds endedAt intent intentStatus } customer { ref } }
}`;

describe.each(ENGINES)('the call flow through GraphQL on %s', (engine) => {
  let t: TestApp;
  let gql: GraphQLClient;
  const clock = new ManualClock(new Date('2026-02-07T10:30:00.000Z'));

  beforeAll(async () => {
    t = await createTestApp(engine, {}, clock);
    gql = await graphqlClient(t);
  });
  afterAll(() => t.close());

  it('recognises a returning caller by the same number in another format', async () => {
    const first = await gql.data(START, { input: { callId: 'call_001', hints: { ani: '4155551234' } } });
    expect(first.startCall).toMatchObject({
      replayed: false,
      customer: { callCount: 1 },
      identification: { confidence: 0, level: 'low', sources: [], recommendation: 'ignore' },
      openIntents: [],
      variables: [],
      call: { callId: 'call_001', ani: '+14155551234', lineType: 'UNKNOWN', startedAt: '2026-02-07T10:30:00.000Z' },
    });
    const ref = first.startCall.customer.ref;

    clock.advance(15_000);
    const ended = await gql.data(END, {
      input: {
        callId: 'call_001',
        customerRef: ref,
        intent: 'Refund Request',
        intentStatus: 'RESOLVED',
        variables: [{ name: 'name', value: 'John Doe' }, { name: 'agent', value: 'A-7', source: 'five9' }],
      },
    });
    expect(ended.endCall).toEqual({
      intentsUpdated: 1,
      variablesUpdated: 2,
      replayed: false,
      call: { callId: 'call_001', durationSeconds: 15, endedAt: '2026-02-07T10:30:15.000Z', intent: 'refund_request', intentStatus: 'RESOLVED' },
      customer: { ref },
    });

    clock.advance(60_000);
    const second = await gql.data(START, { input: { callId: 'call_002', hints: { ani: '+1 (415) 555-1234' } } });
    expect(second.startCall).toMatchObject({
      customer: { ref, callCount: 2 },
      identification: { confidence: 0.4, level: 'low', sources: ['ani:unknown', 'recency:1day'], recommendation: 'confirm' },
      openIntents: [],
      variables: [
        { name: 'agent', value: 'A-7', source: 'five9', ttlSeconds: 2592000 },
        { name: 'name', value: 'John Doe', source: null, ttlSeconds: 2592000 },
      ],
    });
  });
});
