/**
 * Requests the door does not trace skip the HTTP and Express instrumentations altogether (issue 13: tracing
 * must cost next to nothing when a request is not traced). Sampling at the door (trace-sampling.ts) already
 * makes an untraced request produce no span; but the instrumentations still did their per-request work for
 * it: the HTTP one binds the request's and the response's event listeners to a context, and the Express one
 * works out every layer's route before it finds no span to make. That was most of what tracing cost.
 *
 * So the decision moves one step earlier, to the server's `emit('request')`:
 *   - traced: the request is marked, and goes through the instrumented `emit` and the instrumented layer
 *     handles exactly as before (server span, Express handler span, http.route, pg and GraphQL spans);
 *   - untraced: it is emitted with EventEmitter's own `emit`, and each instrumented Express layer calls the
 *     handle it wraps. It runs in the root context, where no instrumentation records anything: pg spans need
 *     a parent (requireParentSpan), and the sampler keeps no root span but a request's (trace-sampling.ts).
 * A server or layer this file was not given (the metrics port, a route added later) keeps the standard path,
 * where the HTTP instrumentation's ignore hook asks the door (tracing.ts).
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';

/** The requests decided traced at the door of a server this file bypasses for the others. */
export class TracedAtTheDoor {
  private readonly traced = new WeakSet<IncomingMessage>();

  constructor(private readonly decide: (request: IncomingMessage) => boolean) {}

  /** Whether the request was decided traced (by `server`'s door, or, for any other server, now). */
  isTraced(request: IncomingMessage): boolean {
    return this.traced.has(request) || this.decide(request);
  }

  /**
   * Makes `server` decide each request as it arrives: a traced one goes through the instrumented `emit`,
   * an untraced one through EventEmitter's own (the HTTP instrumentation wraps http.Server.prototype.emit,
   * which is EventEmitter's; the test checks it still is).
   */
  bypassServer(server: Server): void {
    type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
    const instrumented = server.emit as Emit;
    const plain = EventEmitter.prototype.emit as Emit;
    const traced = this.traced;
    const decide = this.decide;
    server.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]) {
      if (event !== 'request') return instrumented.call(this, event, ...args);
      const request = args[0] as IncomingMessage;
      if (!decide(request)) return plain.call(this, event, ...args);
      traced.add(request);
      return instrumented.call(this, event, ...args);
    } as Server['emit'];
  }

  /**
   * Makes every instrumented layer under `router` (an Express app's router, and the routers mounted in it)
   * run its instrumentation for traced requests only; the others call the handle it wraps. Returns how many
   * layers it found instrumented.
   */
  bypassLayers(router: RouterLike): number {
    let bypassed = 0;
    for (const layer of router.stack as Layer[]) {
      const instrumented = layer.handle;
      const original = wrappedOf(instrumented);
      if (original) {
        const traced = this.traced;
        // Three parameters: an error handler (four) is never instrumented, so never given this wrapper.
        layer.handle = function handle(this: unknown, req: IncomingMessage, res: unknown, next: unknown) {
          return (traced.has(req) ? instrumented : original).call(this, req, res, next);
        } as LayerHandle;
        bypassed += 1;
      }
      const inner = original ?? instrumented;
      if (isRouter(inner)) bypassed += this.bypassLayers(inner);
    }
    return bypassed;
  }
}

type LayerHandle = ((...args: unknown[]) => unknown) & { stack?: Layer[] };

interface Layer {
  handle: LayerHandle;
}

/** What the bypass needs of an Express router: its layers. */
export interface RouterLike {
  readonly stack: readonly object[];
}

function isRouter(handle: LayerHandle): handle is LayerHandle & { stack: Layer[] } {
  return Array.isArray(handle.stack);
}

/**
 * The function an instrumentation's wrapper (shimmer's, as @opentelemetry/instrumentation applies it) wraps;
 * undefined when `handle` is not a wrapper. The Express instrumentation's patch returns an error handler (four
 * parameters) as it is, and shimmer then marks that very function as wrapping itself: it is no wrapper.
 * Bypassing it anyway once gave it three parameters, so the router took it for a middleware and sent every
 * error to Express's default handler: an HTML 500 for a 404 or a 401 whenever tracing was on.
 */
function wrappedOf(handle: LayerHandle): LayerHandle | undefined {
  const wrapped = handle as LayerHandle & { __wrapped?: boolean; __original?: LayerHandle };
  if (wrapped.__wrapped !== true || typeof wrapped.__original !== 'function' || wrapped.__original === handle) return undefined;
  return wrapped.__original;
}
