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

  it('answers a path parameter with a malformed %-escape with a 400, not a 500', async () => {
    for (const name of ['%', '%zz', 'a%E0%A4%A']) {
      const res = await request(t.app).get(`/assets/${name}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'Bad Request', message: 'The path holds a malformed %-escape' });
    }
  });
});
