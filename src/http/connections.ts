/**
 * What the HTTP server knows about its requests: the latest one each connection carried (so a client
 * error is never written over an answer), the ones each connection still carries (so a connection that
 * goes quiet can be told apart from one whose handler is still working), and the answers not yet begun
 * (so the drain can tell them to close their connection).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { Exchange } from './client-errors';

/** Tracks requests per connection. */
export class Connections {
  private readonly latest = new WeakMap<Socket, Exchange>();
  private readonly open = new WeakMap<Socket, Set<Exchange>>();
  private readonly unanswered = new Set<ServerResponse>();

  /** Records a request as it starts. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const exchange = { req, res };
    this.latest.set(req.socket, exchange);
    let open = this.open.get(req.socket);
    if (!open) this.open.set(req.socket, (open = new Set()));
    open.add(exchange);
    this.unanswered.add(res);
    res.once('close', () => {
      this.unanswered.delete(res);
      open.delete(exchange);
    });
  }

  /**
   * True while a request on the connection is still arriving (the request timeout's business) or a
   * handler has not yet ended its answer; false when the connection is at rest or only writing answers
   * that are complete (pipelined requests included).
   */
  isWorking(socket: Socket): boolean {
    for (const { req, res } of this.open.get(socket) ?? []) if (!req.complete || !res.writableEnded) return true;
    return false;
  }

  /** The latest request the connection carried, if any. */
  latestOn(socket: Socket): Exchange | undefined {
    return this.latest.get(socket);
  }

  /** Every answer not yet begun will close its connection. */
  closeAfterPendingAnswers(): void {
    for (const res of this.unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
  }
}
