/**
 * Oversized bodies are refused at once and the connection closed (issue 9, item 2): a declared
 * Content-Length past the limit is answered before the body is read (401 without a key, 413 with one,
 * on /v1 and /graphql), a chunked body is refused the moment it passes the limit, and neither answer
 * waits for the rest of the body. Raw sockets against a listening server, so nothing buffers for us.
 */
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

import { makeKey, makeOrganisation } from '../support/factories';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const LIMIT = 2048;
const HUNDRED_MB = 104_857_600;
/** Generous bounds for a loaded machine; a server that waits for the body never answers within them. */
const ANSWER_WITHIN_MS = 10_000;

/** An HTTP answer read off a raw socket. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A client connection that sends what it is told and collects what comes back. */
class RawClient {
  private received = Buffer.alloc(0);
  private readonly ended: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
    });
    // A server that closes may reset rather than finish the connection; either way it is closed.
    socket.on('error', () => {});
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The first complete answer, or a failure once the bound passes. */
  async answer(withinMs = ANSWER_WITHIN_MS): Promise<RawAnswer> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (Date.now() > deadline) throw new Error(`no complete answer within ${withinMs} ms; got ${JSON.stringify(this.received.toString('latin1').slice(0, 200))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** True when the server closed the connection within the bound. */
  async closedWithin(ms = ANSWER_WITHIN_MS): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const closed = await Promise.race([this.ended.then(() => true), timeout]);
    clearTimeout(timer);
    return closed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private parse(): RawAnswer | undefined {
    const text = this.received.toString('utf8');
    const headEnd = text.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const [statusLine, ...headerLines] = text.slice(0, headEnd).split('\r\n');
    const headers = Object.fromEntries(
      headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length']);
    const body = this.received.subarray(Buffer.byteLength(text.slice(0, headEnd + 4)));
    if (body.length < length) return undefined;
    return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body.subarray(0, length).toString('utf8')) };
  }
}

describe.each(ENGINES)('oversized bodies on %s', (engine) => {
  let t: TestApp;
  let server: Server;
  let port: number;
  let key: string;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine, { BODY_LIMIT_BYTES: String(LIMIT) });
    const em = t.orm.em.fork();
    key = (await makeKey(t.keys, em, await makeOrganisation(t.keys, em))).secret;
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const open = async () => {
    const client = await RawClient.open(port);
    clients.push(client);
    return client;
  };
  const head = (path: string, headers: Record<string, string>) =>
    [`POST ${path} HTTP/1.1`, 'Host: localhost', 'Content-Type: application/json', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  const withKey = () => ({ Authorization: `Bearer ${key}` });

  const TOO_LARGE_REST = { error: 'Payload Too Large', message: `Request body exceeds the limit of ${LIMIT} bytes` };
  const TOO_LARGE_GRAPHQL = { errors: [{ message: `Request body exceeds the limit of ${LIMIT} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] };
  const MISSING = 'Missing API key: send Authorization: Bearer <key>';

  it.each([
    ['/v1/calls/start without a key', '/v1/calls/start', {}, 401, { error: 'Unauthorized', message: MISSING }],
    ['/v1/calls/start with a key', '/v1/calls/start', 'key', 413, TOO_LARGE_REST],
    ['/graphql without a key', '/graphql', {}, 401, { errors: [{ message: MISSING, extensions: { code: 'UNAUTHENTICATED' } }] }],
    ['/graphql with a key', '/graphql', 'key', 413, TOO_LARGE_GRAPHQL],
  ] as const)('answers a declared 100 MB body on %s at once and closes the connection', async (_case, path, auth, status, body) => {
    const client = await open();
    client.write(head(path, { ...(auth === 'key' ? withKey() : auth), 'Content-Length': String(HUNDRED_MB) }));
    client.write('{"call_id":"big","padding":"');
    client.write('x'.repeat(500));

    const answer = await client.answer();
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual(body);
    expect(answer.headers.connection).toBe('close');
    expect(await client.closedWithin()).toBe(true);
  });

  it.each([
    ['/v1/calls/start', TOO_LARGE_REST],
    ['/graphql', TOO_LARGE_GRAPHQL],
  ] as const)('refuses a chunked body on %s as soon as it passes the limit, though it never ends, and closes the connection', async (path, body) => {
    const client = await open();
    client.write(head(path, { ...withKey(), 'Transfer-Encoding': 'chunked' }));
    const chunk = `{"query":"${'x'.repeat(1000)}`;
    for (let i = 0; i < 3; i++) client.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
    // No terminating zero-length chunk: the body never ends.

    const answer = await client.answer();
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(body);
    expect(answer.headers.connection).toBe('close');
    expect(await client.closedWithin()).toBe(true);
  });

  it('keeps the connection open after a refusal whose body was read whole', async () => {
    const client = await open();
    const payload = '{"call_id": "small",';
    client.write(head('/v1/calls/start', { ...withKey(), 'Content-Length': String(Buffer.byteLength(payload)) }) + payload);

    const answer = await client.answer();
    expect(answer.status).toBe(400);
    expect(answer.headers.connection).toBe('keep-alive');
    expect(await client.closedWithin(300)).toBe(false);
  });
});
