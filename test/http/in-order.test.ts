/**
 * inOrder (http/in-order.ts): several middlewares as one Express layer behave as the separate layers did:
 * each in turn, and an error however raised skips the rest and reaches the error handler.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';

import { inOrder } from '../../src/http/in-order';

function appWith(...handlers: RequestHandler[]) {
  const app = express();
  app.use(inOrder(...handlers));
  app.get('/', (_req, res) => {
    res.json({ seen: res.locals.seen ?? [] });
  });
  const onError: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    res.status(500).json({ error: error.message, seen: res.locals.seen ?? [] });
  };
  app.use(onError);
  return app;
}

const note =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.seen = [...((res.locals.seen as string[]) ?? []), name];
    next();
  };

describe('inOrder', () => {
  it('runs each middleware in turn, then what follows the layer', async () => {
    const later: RequestHandler = async (_req, res, next) => {
      await new Promise((resolve) => setImmediate(resolve));
      note('later')(_req, res, next);
    };
    const res = await request(appWith(note('a'), later, note('b'))).get('/');
    expect(res.body).toEqual({ seen: ['a', 'later', 'b'] });
  });

  it.each<[string, RequestHandler]>([
    ['passed to next', (_req, _res, next) => next(new Error('refused'))],
    ['thrown', () => {
      throw new Error('refused');
    }],
    ['rejected', async () => Promise.reject(new Error('refused'))],
  ])('skips the rest on an error %s', async (_how, failing) => {
    const res = await request(appWith(note('a'), failing, note('b'))).get('/');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'refused', seen: ['a'] });
  });

  it('lets a middleware answer and end the request', async () => {
    const answer: RequestHandler = (_req, res) => {
      res.status(204).end();
    };
    const res = await request(appWith(note('a'), answer, note('b'))).get('/');
    expect(res.status).toBe(204);
  });
});
