/**
 * Untraced requests skip the HTTP and Express instrumentations (telemetry/untraced-bypass.ts); traced ones
 * go through them as before. The instrumentations are stood in for here by wrappers made the way
 * @opentelemetry/instrumentation makes them (shimmer's `__wrapped` / `__original`); the service's real ones
 * are exercised end to end in traces.test.ts.
 */
import { EventEmitter } from 'node:events';
import { createServer, Server, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import express, { type NextFunction, type Request, type Response } from 'express';

import { TracedAtTheDoor } from '../../src/telemetry/untraced-bypass';

type Handle = (...args: unknown[]) => unknown;

/** Marks `wrapper` as shimmer marks what a patch returned: wrapping `original`. */
function markedAsWrapping(wrapper: Handle, original: Handle): Handle {
  for (const [key, value] of Object.entries({ __original: original, __wrapped: true, __unwrap: () => undefined })) Object.defineProperty(wrapper, key, { value });
  return wrapper;
}

/** Wraps `original` as shimmer does, noting each call in `seen`. */
function instrumented(original: Handle, seen: string[], name: string): Handle {
  const wrapper = function (this: unknown, ...args: unknown[]) {
    seen.push(name);
    return original.apply(this, args);
  };
  return markedAsWrapping(wrapper, original);
}

/**
 * Wraps every layer's handle under `router`, as the Express instrumentation does. Its patch returns an error
 * handler (four parameters) as it is, and shimmer then marks that very function as wrapping itself.
 */
function instrumentLayers(router: { stack: { handle: Handle; name?: string }[] }, seen: string[]): void {
  for (const layer of router.stack) {
    const inner = layer.handle as Handle & { stack?: { handle: Handle }[] };
    layer.handle = inner.length === 4 ? markedAsWrapping(inner, inner) : instrumented(inner, seen, `layer:${layer.name ?? 'anonymous'}`);
    if (Array.isArray(inner.stack)) instrumentLayers(inner as unknown as typeof router, seen);
  }
}

const tracedByHeader = (request: IncomingMessage) => request.headers['x-trace'] === 'yes';

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('TracedAtTheDoor', () => {
  it('relies on http.Server emitting through EventEmitter’s own emit (the one the HTTP instrumentation wraps)', () => {
    expect(Server.prototype.emit).toBe(EventEmitter.prototype.emit);
  });

  it('sends a traced request through the instrumented emit and an untraced one around it, and answers both', async () => {
    const seen: string[] = [];
    const server = createServer((_req, res) => res.end('ok'));
    server.emit = instrumented(server.emit as Handle, seen, 'emit') as Server['emit'];
    const door = new TracedAtTheDoor(tracedByHeader);
    door.bypassServer(server);
    const url = await listening(server);
    try {
      const untraced = await fetch(url, { headers: { 'x-trace': 'no' } });
      expect(await untraced.text()).toBe('ok');
      // Other events (listening, connection) still pass the instrumented emit; a request only when traced.
      const before = seen.length;
      const traced = await fetch(url, { headers: { 'x-trace': 'yes' } });
      expect(await traced.text()).toBe('ok');
      expect(seen.length).toBeGreaterThan(before);
      seen.length = 0;
      await fetch(url, { headers: { 'x-trace': 'no' } }).then((res) => res.text());
      expect(seen).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('remembers a request its server decided traced, and asks the door for one from any other server', () => {
    const asked: string[] = [];
    const door = new TracedAtTheDoor((request) => {
      asked.push(String(request.headers['x-trace']));
      return tracedByHeader(request);
    });
    const server = createServer();
    door.bypassServer(server);
    const decided = { headers: { 'x-trace': 'yes' } } as unknown as IncomingMessage;
    server.emit('request', decided, { end: () => undefined });
    expect(asked).toEqual(['yes']);
    expect(door.isTraced(decided)).toBe(true);
    expect(asked).toEqual(['yes']);
    expect(door.isTraced({ headers: { 'x-trace': 'no' } } as unknown as IncomingMessage)).toBe(false);
    expect(asked).toEqual(['yes', 'no']);
  });

  it('runs the instrumented layers for a traced request only, in nested routers too, and both get the same answers and errors, from the app’s own error handler', async () => {
    const seen: string[] = [];
    const app = express();
    app.use(function stamp(_req: Request, res: Response, next: NextFunction) {
      res.setHeader('X-Stamp', '1');
      next();
    });
    const v1 = express.Router();
    v1.get('/hello/:name', (req, res) => void res.json({ hello: req.params.name }));
    v1.get('/fails', () => {
      throw new Error('boom');
    });
    app.use('/v1', v1);
    // Its own status, not Express's default handler's 500 (which the bypass once sent every error to).
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => void res.status(422).json({ error: error.message }));
    instrumentLayers(app.router as unknown as Parameters<typeof instrumentLayers>[0], seen);

    const server = createServer(app);
    server.emit = instrumented(server.emit as Handle, [], 'emit') as Server['emit'];
    const door = new TracedAtTheDoor(tracedByHeader);
    door.bypassServer(server);
    door.bypassLayers(app.router);
    const url = await listening(server);
    const get = async (path: string, trace: string) => {
      const res = await fetch(`${url}${path}`, { headers: { 'x-trace': trace } });
      return { status: res.status, stamp: res.headers.get('x-stamp'), body: (await res.json()) as unknown };
    };
    try {
      for (const trace of ['no', 'yes']) {
        seen.length = 0;
        expect(await get('/v1/hello/ada', trace)).toEqual({ status: 200, stamp: '1', body: { hello: 'ada' } });
        expect(await get('/v1/fails', trace)).toEqual({ status: 422, stamp: '1', body: { error: 'boom' } });
        if (trace === 'no') expect(seen).toEqual([]);
        else expect(seen).toEqual(expect.arrayContaining(['layer:stamp', 'layer:router', 'layer:handle']));
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
