/**
 * Each request's `res.locals` is a RequestLocals (http/request-locals.ts), given by the first middleware
 * (request-id.ts): every field our middleware sets is declared on it, in one order, instead of Express 5's
 * null-prototype object, which V8 keeps in dictionary mode. Fields nobody declared can still be added.
 */
import express from 'express';
import request from 'supertest';

import { requestId } from '../../src/http/request-id';
import { RequestLocals } from '../../src/http/request-locals';

function localsApp() {
  const app = express();
  app.use(requestId);
  app.get('/', (_req, res) => {
    res.locals.extra = 'added';
    res.json({
      isRequestLocals: res.locals instanceof RequestLocals,
      keys: Object.keys(res.locals),
      requestId: res.locals.requestId,
      rateCounted: res.locals.rateCounted,
    });
  });
  return app;
}

describe('request locals', () => {
  it("gives every request a RequestLocals with all its fields declared, in one order, and the request's id", async () => {
    const app = localsApp();
    const first = await request(app).get('/').set('X-Request-Id', 'req-one').expect(200);
    const second = await request(app).get('/').expect(200);
    expect(first.body.isRequestLocals).toBe(true);
    expect(first.body.requestId).toBe('req-one');
    expect(second.body.requestId).toBe(second.headers['x-request-id']);
    expect(first.body.rateCounted).toBe(false);
    // The same fields in the same order each time (one hidden class), then what a handler added.
    expect(first.body.keys).toEqual(second.body.keys);
    expect(first.body.keys).toEqual(expect.arrayContaining(['requestId', 'em', 'principal', 'log', 'traceId', 'route', 'latencyMs', 'rateCounted', 'answer']));
    expect(first.body.keys.at(-1)).toBe('extra');
  });

  it('masks a phone number in the id it keeps, and echoes the id as it came', async () => {
    const res = await request(localsApp()).get('/').set('X-Request-Id', 'ivr-14155550123-1').expect(200);
    expect(res.headers['x-request-id']).toBe('ivr-14155550123-1');
    expect(res.body.requestId).not.toContain('14155550123');
  });
});
