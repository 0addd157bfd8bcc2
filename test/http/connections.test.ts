/**
 * Issue 9, item 1: connections that send nothing (or never finish their headers) are closed after a
 * short timeout, connections are capped, and the service keeps answering its probes meanwhile. Run
 * against the real entry point, so the server settings are the ones production uses.
 */
import { Agent, request } from 'node:http';

import { connectionCap } from '../../src/http/server';
import { openConnection, openConnections, parseResponse, within, type RawConnection } from '../support/raw-http';
import { ENGINES } from '../support/scratch-database';
import { serviceDatabase, type ServiceDatabase } from '../support/service-database';
import { killServices, startService, type ServiceProcess } from '../support/service-process';

const SILENT = 2_000;
const PARTIAL = 50;

async function readyz(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
}

/** GET path over the agent; resolves with the status and whether the agent reused a connection. */
function get(port: number, path: string, agent: Agent): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(ENGINES)('silent connections on %s', (engine) => {
  let database: ServiceDatabase;
  let service: ServiceProcess;
  let connections: RawConnection[] = [];
  beforeEach(async () => {
    database = await serviceDatabase(engine);
  });
  afterEach(async () => {
    for (const connection of connections) connection.socket.destroy();
    connections = [];
    killServices();
    await database.drop();
  });

  it(`closes ${SILENT} silent connections and ${PARTIAL} header-less requests after HEADERS_TIMEOUT_MS, /readyz answering 200 meanwhile`, async () => {
    service = await startService({ ...database.env, HEADERS_TIMEOUT_MS: '6000' });
    const silent = await openConnections(service.port, SILENT);
    const partial = await openConnections(service.port, PARTIAL);
    for (const c of partial) c.socket.write('POST /v1/calls/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n');
    connections = [...silent, ...partial];

    expect([await readyz(service.port), await readyz(service.port), await readyz(service.port)]).toEqual([200, 200, 200]);
    // They were held open while the probes answered (the timeout leaves seconds to spare).
    expect(connections.filter((c) => !c.isClosed()).length).toBeGreaterThan(SILENT / 2);

    // The server closes every one of them: without the timeout they stayed open for a minute.
    await within(Promise.all(connections.map((c) => c.closed)), 20_000, 'the server to close every silent connection');
    for (const c of partial) {
      const answer = parseResponse(c.received());
      expect(answer.status).toBe(408);
      expect(answer.headers).toMatchObject({ connection: 'close', 'content-type': 'application/json; charset=utf-8' });
      expect(JSON.parse(answer.body)).toEqual({ error: 'Request Timeout', message: expect.any(String) });
    }
    expect(await readyz(service.port)).toBe(200);
  }, 60_000);
});

describe('the connection cap', () => {
  let database: ServiceDatabase;
  let connections: RawConnection[] = [];
  beforeEach(async () => {
    database = await serviceDatabase('sqlite');
  });
  afterEach(async () => {
    for (const connection of connections) connection.socket.destroy();
    connections = [];
    killServices();
    await database.drop();
  });

  it('closes connections past MAX_CONNECTIONS at once and keeps serving the open ones', async () => {
    // Timeouts far longer than the test, so only the cap can close anything.
    const service = await startService({
      ...database.env,
      MAX_CONNECTIONS: '20',
      HEADERS_TIMEOUT_MS: '60000',
      REQUEST_TIMEOUT_MS: '60000',
      KEEP_ALIVE_TIMEOUT_MS: '60000',
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(service.port, '/readyz', agent)).toEqual({ status: 200, reused: false });
      const held = await openConnections(service.port, 19);
      const extra = await openConnections(service.port, 5);
      connections = [...held, ...extra];

      // The server accepts the five over the cap and closes them without a word.
      await within(Promise.all(extra.map((c) => c.closed)), 10_000, 'the server to close the connections over the cap');
      expect(extra.map((c) => c.received())).toEqual(Array(5).fill(''));
      expect(held.some((c) => c.isClosed())).toBe(false);
      // The connection being served is not harmed: it answers again, on the same socket.
      expect(await get(service.port, '/readyz', agent)).toEqual({ status: 200, reused: true });
      expect(service.output()).toContain('connection cap reached');

      // The cap counts open connections: once some close, new ones are served again.
      for (const c of held.slice(0, 5)) c.socket.destroy();
      await within(
        (async () => {
          for (;;) {
            const fresh = await openConnection(service.port);
            connections.push(fresh);
            fresh.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
            await fresh.closed;
            if (fresh.received().startsWith('HTTP/1.1 200')) return;
          }
        })(),
        10_000,
        'a new connection to be served after some closed',
      );
    } finally {
      agent.destroy();
    }
  }, 60_000);
});

describe('connectionCap', () => {
  it('keeps the configured cap under the open-file limit, leaving descriptors for the database and logs', () => {
    expect(connectionCap(10_000, 20_000)).toBe(10_000);
    expect(connectionCap(10_000, 1_024)).toBe(768);
    expect(connectionCap(10_000, 100)).toBe(50);
    expect(connectionCap(10_000, undefined)).toBe(10_000);
  });
});
