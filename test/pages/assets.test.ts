import request from 'supertest';

import { createTestApp, type TestApp } from '../support/test-app';

describe('page assets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('serves the pages stylesheet from the service itself, cacheable and without an API key', async () => {
    const res = await request(t.app).get('/assets/pages.css');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.text).toContain('.skip-link');
  });

  it('answers an unknown asset name with a 404 in the error shape, never a file outside the list', async () => {
    for (const name of ['nope.js', '..%2Fpackage.json', '__proto__', 'constructor']) {
      const res = await request(t.app).get(`/assets/${name}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Not Found', message: expect.stringContaining('No asset') });
    }
  });

  it('answers a range outside the file with 416 and its Content-Range, not a cached 500', async () => {
    for (const method of ['get', 'head'] as const) {
      const res = await request(t.app)[method]('/assets/pages.css').set('Range', 'bytes=99999999-');
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toMatch(/^bytes \*\/\d+$/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      if (method === 'get') expect(res.body).toEqual({ error: 'Range Not Satisfiable', message: 'The requested range is outside the asset' });
    }
    const part = await request(t.app).get('/assets/pages.css').set('Range', 'bytes=0-9');
    expect([part.status, part.text.length]).toEqual([206, 10]);
  });

  it('answers a precondition the file fails (If-Match, If-Unmodified-Since) with 412, not a 500', async () => {
    for (const [name, value] of [['If-Match', '"not-this-one"'], ['If-Unmodified-Since', 'Mon, 01 Jan 2001 00:00:00 GMT']]) {
      const res = await request(t.app).get('/assets/pages.css').set(name, value);
      expect(res.status).toBe(412);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ error: 'Precondition Failed', message: expect.stringContaining('If-Match or If-Unmodified-Since') });
    }
    const modified = await request(t.app).get('/assets/pages.css').set('If-Modified-Since', new Date(Date.now() + 60_000).toUTCString());
    expect(modified.status).toBe(304);
  });

  it('answers a path parameter with a malformed %-escape with a 400, not a 500', async () => {
    for (const name of ['%', '%zz', 'a%E0%A4%A']) {
      const res = await request(t.app).get(`/assets/${name}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'Bad Request', message: 'The path holds a malformed %-escape' });
    }
  });
});
