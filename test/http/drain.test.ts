/**
 * Issue 9, item 11: SIGTERM under load drops nothing. `/readyz` turns 503 at once, the server keeps
 * accepting for the drain delay with every answer saying `Connection: close`, then stops accepting, and
 * every request sent before that is answered: 0 resets from keep-alive and one-shot clients alike.
 */
import { Agent, request } from 'node:http';

import { generateApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';
import { sendCallStart, type StartOutcome as Outcome } from '../support/call-start-request';
import { nextAnswer, openConnection, parseResponse, within, type RawConnection } from '../support/raw-http';
import { ENGINES } from '../support/scratch-database';
import { serviceDatabase, type ServiceDatabase } from '../support/service-database';
import { killServices, startService, type ServiceProcess } from '../support/service-process';

const KEY = generateApiKey(Environment.TEST);
const LOAD = 100;

/** One call start over the agent (`false`: a connection of its own). */
function startCall(port: number, agent: Agent | false, callId: string, ani: string): Promise<Outcome> {
  return sendCallStart(port, KEY, agent, callId, ani);
}

/** Everything that was neither a normal answer for its own call nor a refused connection. */
function failures(outcomes: Outcome[], callIds: string[]): string[] {
  return outcomes.flatMap((outcome, i) => {
    if (outcome.kind === 'refused') return [];
    if (outcome.kind === 'dropped') return [`${callIds[i]}: ${outcome.error}`];
    const answer = JSON.parse(outcome.body) as { call_id?: string; customer_ref?: string };
    return outcome.status === 200 && answer.call_id === callIds[i] && answer.customer_ref ? [] : [`${callIds[i]}: ${outcome.status} ${outcome.body}`];
  });
}

function waitForOutput(service: ServiceProcess, text: string): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const check = () => {
        if (!service.output().includes(text)) return;
        service.child.stdout?.off('data', check);
        resolve();
      };
      service.child.stdout?.on('data', check);
      check();
    }),
    20_000,
    `"${text}" in the service's output`,
  );
}

describe.each(ENGINES)('SIGTERM under load on %s', (engine) => {
  let database: ServiceDatabase;
  beforeEach(async () => {
    database = await serviceDatabase(engine);
  });
  afterEach(async () => {
    killServices();
    await database.drop();
  });

  it(`answers all ${LOAD} keep-alive and ${LOAD} one-shot requests in flight at SIGTERM: 0 resets`, async () => {
    const service = await startService({
      ...database.env,
      BOOTSTRAP_API_KEY: KEY,
      SHUTDOWN_DRAIN_DELAY_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '20000',
      KEEP_ALIVE_TIMEOUT_MS: '3000',
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    try {
      // Warm the pool: ten keep-alive connections, idle when the signal comes.
      const warm = await Promise.all(Array.from({ length: 20 }, (_, i) => startCall(service.port, agent, `warm-${i}`, `41555510${i + 10}`)));
      expect(failures(warm, warm.map((_, i) => `warm-${i}`))).toEqual([]);

      const keepAliveIds = Array.from({ length: LOAD }, (_, i) => `keep-alive-${i}`);
      const oneShotIds = Array.from({ length: LOAD }, (_, i) => `one-shot-${i}`);
      const keepAlive = keepAliveIds.map((id, i) => startCall(service.port, agent, id, `4155520${String(i).padStart(3, '0')}`));
      const oneShot = oneShotIds.map((id, i) => startCall(service.port, false, id, `4155530${String(i).padStart(3, '0')}`));
      // The signal lands while most of the load is queued in the agent or sent and not yet answered.
      await Promise.race([...keepAlive, ...oneShot]);
      service.child.kill('SIGTERM');

      const outcomes = await within(Promise.all([Promise.all(keepAlive), Promise.all(oneShot)]), 30_000, 'every request to end');
      expect({ keepAlive: failures(outcomes[0], keepAliveIds), oneShot: failures(outcomes[1], oneShotIds) }).toEqual({ keepAlive: [], oneShot: [] });
      expect(await within(service.exited, 30_000, 'the service to exit')).toBe(0);
      expect(service.output()).toContain('"msg":"stopped"');
    } finally {
      agent.destroy();
    }
  }, 60_000);
});

describe('the drain', () => {
  let database: ServiceDatabase;
  beforeEach(async () => {
    database = await serviceDatabase('sqlite');
  });
  afterEach(async () => {
    killServices();
    await database.drop();
  });

  it('turns /readyz to 503 at once, closes each connection after its answer, keeps accepting for the drain delay, then refuses', async () => {
    const service = await startService({
      ...database.env,
      BOOTSTRAP_API_KEY: KEY,
      SHUTDOWN_DRAIN_DELAY_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '30000',
      KEEP_ALIVE_TIMEOUT_MS: '30000',
      HEADERS_TIMEOUT_MS: '20000',
      REQUEST_TIMEOUT_MS: '20000',
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const raw: RawConnection[] = [];
    try {
      const before = await startCall(service.port, agent, 'before', '4155551234');
      expect(before).toMatchObject({ kind: 'answered', status: 200, connection: 'keep-alive', reused: false });
      // A keep-alive connection that stays at rest through the whole drain.
      const resting = await openConnection(service.port);
      raw.push(resting);
      resting.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect((await nextAnswer(resting)).status).toBe(200);
      const restingReceived = resting.received();

      service.child.kill('SIGTERM');
      await waitForOutput(service, '"msg":"shutting down"');
      // A connection accepted during the drain that has not sent its request yet when the listener closes.
      const fresh = await openConnection(service.port);
      raw.push(fresh);

      // The idle keep-alive connection from before the signal still serves; its answer closes it.
      const ready = await fetchOver(service.port, '/readyz', agent);
      expect(ready).toEqual({ status: 503, body: { status: 'draining' }, connection: 'close', reused: true });
      // Liveness stays green; a new connection is still accepted, and told to close too.
      expect(await fetchOver(service.port, '/healthz', agent)).toEqual({ status: 200, body: { status: 'ok' }, connection: 'close', reused: false });
      expect(await startCall(service.port, false, 'during', '4155551235')).toMatchObject({ kind: 'answered', status: 200, connection: 'close' });

      // Once the drain delay is over, new connections are refused...
      await waitForOutput(service, '"msg":"no longer accepting connections"');
      expect(await startCall(service.port, false, 'after', '4155551236')).toEqual({ kind: 'refused' });
      // ...the connection that was at rest is closed without a word...
      await within(resting.closed, 10_000, 'the resting keep-alive connection to be closed');
      expect(resting.received()).toBe(restingReceived);
      // ...and the accepted one is not: its request, sent now, is answered and then its connection closed.
      const body = JSON.stringify({ call_id: 'late', identity_hints: { ani: '4155551237' } });
      fresh.socket.write(
        `POST /v1/calls/start HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      const late = await nextAnswer(fresh);
      expect(late.status).toBe(200);
      expect(late.headers.connection).toBe('close');
      await within(fresh.closed, 10_000, 'the late connection to be closed after its answer');

      expect(await within(service.exited, 20_000, 'the service to exit')).toBe(0);
      // Nothing was left for the deadline to cut.
      expect(service.output()).not.toContain('shutdown deadline reached');
    } finally {
      agent.destroy();
      for (const connection of raw) connection.socket.destroy();
    }
  }, 60_000);

  it('still times out a connection that never sends its request, so the drain ends without the deadline', async () => {
    const service = await startService({
      ...database.env,
      SHUTDOWN_DRAIN_DELAY_MS: '500',
      SHUTDOWN_TIMEOUT_MS: '30000',
      HEADERS_TIMEOUT_MS: '1500',
    });
    const silent = await openConnection(service.port);
    try {
      service.child.kill('SIGTERM');
      expect(await within(service.exited, 20_000, 'the service to exit before its deadline')).toBe(0);
      expect(service.output()).not.toContain('shutdown deadline reached');
      expect(parseResponse(silent.received()).status).toBe(408);
    } finally {
      silent.socket.destroy();
    }
  }, 60_000);
});

/** GET over the agent: status, JSON body, Connection header and whether a pooled connection was reused. */
function fetchOver(port: number, path: string, agent: Agent): Promise<{ status: number; body: unknown; connection?: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), connection: res.headers.connection, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}
