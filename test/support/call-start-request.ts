/** One REST call start sent with node:http to a running service, and how it ended, for shutdown tests. */
import { Agent, request } from 'node:http';

/** How one request ended. `refused`: the connection itself was refused, so nothing was sent. */
export type StartOutcome =
  | { kind: 'answered'; status: number; body: string; connection?: string; reused: boolean }
  | { kind: 'refused' }
  | { kind: 'dropped'; error: string };

/** POSTs a start for `callId` with `ani`, over the agent (`false`: a connection of its own). */
export function sendCallStart(port: number, key: string, agent: Agent | false, callId: string, ani: string): Promise<StartOutcome> {
  const body = JSON.stringify({ call_id: callId, identity_hints: { ani } });
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/calls/start',
        agent,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'dropped', error: error.code ?? error.message }));
        res.on('end', () =>
          resolve({ kind: 'answered', status: res.statusCode ?? 0, body: text, connection: res.headers.connection, reused: req.reusedSocket }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'dropped', error: error.code ?? error.message }),
    );
    req.end(body);
  });
}
