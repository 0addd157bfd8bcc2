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
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch((rejection: unknown) => next(rejection ?? new Error('middleware rejected')));
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
