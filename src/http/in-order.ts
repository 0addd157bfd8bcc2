/**
 * Several middlewares as one: each runs in turn, as Express would run them as separate layers, and an
 * error (thrown, passed to `next` or a rejected promise) skips the rest. Every Express layer costs each
 * request a path match, and with tracing on the Express instrumentation's own work: the middlewares every
 * request passes are one layer (app.ts).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** One handler running `handlers` in order. */
export function inOrder(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined || index === handlers.length) {
        next(error);
        return;
      }
      const handler = handlers[index++];
      try {
        // As Express 5 does: a handler's rejected promise is its error (duck-typed: promises may come from another realm).
        const result = handler(req, res, step) as unknown;
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
          (result as PromiseLike<unknown>).then(undefined, (rejection: unknown) => next(rejection ?? new Error('middleware rejected')));
        }
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
