/**
 * Clients that send credentials only when challenged for Basic (curl --anyauth, some IVR HTTP modules):
 * the real curl against a listening server. curl --anyauth first sends no credentials, reads the 401's
 * WWW-Authenticate, picks a scheme it supports (Basic here) and sends again with the key as user name.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { listeningApp, type ListeningApp } from '../support/listening-app';
import { ENGINES } from '../support/scratch-database';

const run = promisify(execFile);

/** curl with the given arguments; its answer body, status and verbose trace. */
async function curl(args: string[]): Promise<{ body: string; status: number; trace: string }> {
  const { stdout, stderr } = await run('curl', ['-sS', '-v', '-w', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, cut), status: Number(stdout.slice(cut + 1)), trace: stderr };
}

describe.each(ENGINES)('curl --anyauth on %s', (engine) => {
  let s: ListeningApp;
  beforeAll(async () => {
    s = await listeningApp(engine);
  });
  afterAll(() => s.close());

  it('authenticates with the key as Basic user name after the challenge and starts the call', async () => {
    const body = JSON.stringify({ call_id: 'anyauth-1', identity_hints: { ani: '4155550160' } });
    const res = await curl(['--anyauth', '-u', `${s.key}:`, '-H', 'Content-Type: application/json', '--data-binary', body, `${s.origin}/v1/calls/start`]);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ call_id: 'anyauth-1', identity: { confidence: 0, recommendation: 'ignore' } });
    // The challenge round trip really happened: a first request without credentials, refused, then Basic.
    expect(res.trace).toMatch(/< HTTP\/1\.1 401 Unauthorized[\s\S]*< WWW-Authenticate: Bearer realm="caller-memory", Basic realm="caller-memory", charset="UTF-8"/i);
    expect(res.trace).toMatch(/> Authorization: Basic [A-Za-z0-9+/=]+[\s\S]*< HTTP\/1\.1 200 OK/);
  });

  it('authenticates a GraphQL request the same way', async () => {
    const res = await curl(['--anyauth', '-u', `${s.key}:`, '-H', 'Content-Type: application/json', '--data-binary', '{"query":"{ viewer { environment } }"}', `${s.origin}/graphql`]);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ data: { viewer: { environment: 'TEST' } } });
  });

  it('takes the bare key as the whole Authorization value from curl', async () => {
    const res = await curl(['-H', `Authorization: ${s.key}`, '-H', 'Content-Type: application/json', '--data-binary', '{"call_id":"bare-1","ani":"4155550160"}', `${s.origin}/v1/calls/start`]);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ call_id: 'bare-1' });
  });
});
