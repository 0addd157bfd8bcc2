/**
 * Issue 9, item 2 (timeouts): a body trickled a byte at a time, or a chunked body that never ends, gets
 * a 408 in the documented error shape within REQUEST_TIMEOUT_MS and its connection is closed. It held
 * the connection for five minutes (Node's default) before. Node's other refusals (not HTTP, headers too
 * large) come in the error shape too.
 */
import { generateApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';
import { openConnection, parseResponse, within, type RawConnection } from '../support/raw-http';
import { serviceDatabase, type ServiceDatabase } from '../support/service-database';
import { killServices, startService, type ServiceProcess } from '../support/service-process';

const KEY = generateApiKey(Environment.TEST);
const BODY = JSON.stringify({ call_id: 'slow-body', identity_hints: { ani: '4155551234' } });

/** Feeds the connection one piece every `everyMs` until the server closes it. */
function trickle(connection: RawConnection, pieces: () => string, everyMs: number): void {
  const timer = setInterval(() => {
    if (connection.isClosed()) clearInterval(timer);
    else connection.socket.write(pieces());
  }, everyMs);
  void connection.closed.then(() => clearInterval(timer));
}

/** The answer must be a 408 in the contract's error shape, on a connection the server then closed. */
async function expectTimedOut(connection: RawConnection): Promise<void> {
  await within(connection.closed, 20_000, 'the server to answer and close the slow request');
  const answer = parseResponse(connection.received());
  expect(answer.status).toBe(408);
  expect(answer.headers).toMatchObject({
    connection: 'close',
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  expect(JSON.parse(answer.body)).toEqual({
    error: 'Request Timeout',
    message: 'The request did not arrive in full within the time allowed',
  });
}

describe('slow requests', () => {
  let database: ServiceDatabase;
  let service: ServiceProcess;
  const open: RawConnection[] = [];
  beforeAll(async () => {
    database = await serviceDatabase('sqlite');
    service = await startService({ ...database.env, BOOTSTRAP_API_KEY: KEY, HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000' });
  }, 60_000);
  afterAll(async () => {
    for (const connection of open) connection.socket.destroy();
    killServices();
    await database.drop();
  });

  async function connect(): Promise<RawConnection> {
    const connection = await openConnection(service.port);
    open.push(connection);
    return connection;
  }

  it.each(['/v1/calls/start', '/graphql'])('answers a body sent one byte every 2 s to %s with 408 and closes the connection', async (path) => {
    const connection = await connect();
    connection.socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY[0]}`,
    );
    let sent = 1;
    trickle(connection, () => BODY[sent++ % BODY.length], 2_000);
    await expectTimedOut(connection);
  }, 30_000);

  it('answers a chunked body that never ends with 408 and closes the connection', async () => {
    const connection = await connect();
    connection.socket.write(
      `POST /v1/calls/start HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n',
    );
    // Chunks keep coming, often enough that the connection is never idle; the last one never does.
    trickle(connection, () => '1\r\n \r\n', 200);
    await expectTimedOut(connection);
  }, 30_000);

  it('answers headers that never end with 408 and closes the connection', async () => {
    const connection = await connect();
    connection.socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    trickle(connection, () => `X-Slow-${n++}: a\r\n`, 200);
    await expectTimedOut(connection);
  }, 30_000);

  it.each([
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400, 'Bad Request'],
    ['headers over 16 KB', `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 431, 'Request Header Fields Too Large'],
  ])('answers %s in the error shape and closes the connection', async (_what, text, status, reason) => {
    const connection = await connect();
    connection.socket.write(text);
    await within(connection.closed, 20_000, 'the server to answer and close');
    const answer = parseResponse(connection.received());
    expect(answer.status).toBe(status);
    expect(answer.headers).toMatchObject({ connection: 'close', 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(answer.body)).toEqual({ error: reason, message: expect.any(String) });
  });

  it('still serves a request that arrives whole', async () => {
    const res = await fetch(`http://127.0.0.1:${service.port}/v1/calls/start`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: BODY,
    });
    expect(res.status).toBe(200);
  });
});
