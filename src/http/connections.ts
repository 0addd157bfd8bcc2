/**
 * What the HTTP server knows about its requests: the latest one each connection carried (so a client
 * error is never written over an answer) and the answers not yet begun (so the drain can tell them to
 * close their connection).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { Exchange } from './client-errors';

/** Tracks requests per connection. */
export class Connections {
  private readonly latest = new WeakMap<Socket, Exchange>();
  private readonly unanswered = new Set<ServerResponse>();

  /** Records a request as it starts. */
  track(req: IncomingMessage, res: ServerResponse): void {
    this.latest.set(req.socket, { req, res });
    this.unanswered.add(res);
    res.once('close', () => this.unanswered.delete(res));
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
