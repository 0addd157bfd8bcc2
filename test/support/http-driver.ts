/**
 * Real HTTP to the app at property-test rates: one listening server on loopback and one keep-alive
 * connection, instead of supertest's server and connection per request (which cost more than the
 * request itself when a test sends tens of thousands).
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server answered. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Sends requests to one in-process server. */
export interface HttpDriver {
  send(method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<RawAnswer>;
  close(): Promise<void>;
}

/** Listens on a free loopback port with the app and opens a keep-alive client to it. */
export async function httpDriver(app: RequestListener): Promise<HttpDriver> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  const send: HttpDriver['send'] = (method, path, headers, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const req = request(
        { host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  return {
    send,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
