/**
 * Content-Encoding on both transports (issue 9, item 9): valid gzip, deflate and br bodies are read; a body
 * labelled so that is not (or is cut short) is a 400 in the documented shape, never a 500; an encoding we
 * do not read is a 415; and a decompression bomb is a 413 after at most the limit is inflated.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

import request from 'supertest';

import { makeKey, makeOrganisation } from '../support/factories';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';

const LIMIT = 4096;
const START = JSON.stringify({ call_id: 'enc-1', identity_hints: { ani: '4155550100' } });
const VIEWER = JSON.stringify({ query: '{ viewer { environment } }' });
const CODECS = { gzip: gzipSync, 'x-gzip': gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;

describe.each(ENGINES)('request Content-Encoding on %s', (engine) => {
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp(engine, { BODY_LIMIT_BYTES: String(LIMIT) });
    const em = t.orm.em.fork();
    auth = { Authorization: `Bearer ${(await makeKey(t.keys, em, await makeOrganisation(t.keys, em))).secret}` };
  });
  afterAll(() => t.close());

  const post = (path: string, body: Buffer | string, encoding: string, contentType = 'application/json') =>
    request(t.app)
      .post(path)
      .set(auth)
      .set('Content-Type', contentType)
      .set('Content-Encoding', encoding)
      // superagent would serialise a Buffer labelled JSON as JSON; send the bytes as they are.
      .serialize((bytes: unknown) => bytes as string)
      .send(body);

  describe('REST /v1', () => {
    it.each(Object.keys(CODECS) as (keyof typeof CODECS)[])('reads a valid %s body', async (encoding) => {
      const res = await post('/v1/calls/start', CODECS[encoding](Buffer.from(START.replace('enc-1', `enc-${encoding}`))), encoding.toUpperCase());
      expect(res.status).toBe(200);
      expect(res.body.call_id).toBe(`enc-${encoding}`);
    });

    it.each([
      ['plain JSON labelled gzip', 'gzip', Buffer.from(START)],
      ['plain JSON labelled deflate', 'deflate', Buffer.from(START)],
      ['plain JSON labelled br', 'br', Buffer.from(START)],
      ['a gzip body cut in half', 'gzip', gzipSync(START).subarray(0, 20)],
      ['a deflate body with a corrupt middle', 'deflate', Buffer.concat([deflateSync(START).subarray(0, 6), Buffer.alloc(12, 0xff), deflateSync(START).subarray(18)])],
    ])('answers 400 in the error shape, not 500, for %s', async (_case, encoding, body) => {
      const res = await post('/v1/calls/start', body, encoding);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'Bad Request',
        message: 'Malformed request body',
        details: { issues: [{ path: [], message: `The body is labelled Content-Encoding: ${encoding} but is not valid ${encoding} data` }] },
      });
    });

    it.each(['compress', 'zstd', 'gzip, br', 'bogus', 'constructor', '__proto__'])('answers 415 for the unsupported Content-Encoding %s', async (encoding) => {
      const res = await post('/v1/calls/start', START, encoding);
      expect(res.status).toBe(415);
      expect(res.body).toEqual({
        error: 'Unsupported Media Type',
        message: `Content-Encoding "${encoding}" is not supported: send the body uncompressed, or as gzip, deflate or br`,
      });
    });

    it('reads an identity-labelled body as is', async () => {
      const res = await post('/v1/calls/start', START.replace('enc-1', 'enc-identity'), 'identity');
      expect(res.status).toBe(200);
    });

    it('answers 413 to a gzip bomb whose compressed size is under the limit', async () => {
      const bomb = gzipSync(Buffer.from(`{"call_id":"bomb","padding":"${'0'.repeat(1_000_000)}"}`));
      expect(bomb.length).toBeLessThan(LIMIT);
      const res = await post('/v1/calls/start', bomb, 'gzip');
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: 'Payload Too Large', message: `Request body exceeds the limit of ${LIMIT} bytes` });
    });

    it('answers 415 for a charset it cannot decode', async () => {
      const res = await post('/v1/calls/start', START, 'identity', 'application/json; charset=klingon');
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ error: 'Unsupported Media Type', message: 'Charset "klingon" is not supported: send UTF-8' });
    });
  });

  describe('GraphQL /graphql', () => {
    it.each(Object.keys(CODECS) as (keyof typeof CODECS)[])('reads a valid %s body', async (encoding) => {
      const res = await post('/graphql', CODECS[encoding](Buffer.from(VIEWER)), encoding);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { viewer: { environment: 'TEST' } } });
    });

    it.each([
      ['plain JSON labelled gzip', 'gzip', Buffer.from(VIEWER)],
      ['plain JSON labelled br', 'br', Buffer.from(VIEWER)],
      ['a gzip body cut in half', 'gzip', gzipSync(VIEWER).subarray(0, 20)],
    ])('answers 400 with MALFORMED_BODY, not 500, for %s', async (_case, encoding, body) => {
      const res = await post('/graphql', body, encoding);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [
          {
            message: 'Malformed request body',
            extensions: {
              code: 'MALFORMED_BODY',
              issues: [{ path: [], message: `The body is labelled Content-Encoding: ${encoding} but is not valid ${encoding} data` }],
            },
          },
        ],
      });
    });

    it('answers 415 with UNSUPPORTED_MEDIA_TYPE for an encoding it does not read', async () => {
      const res = await post('/graphql', VIEWER, 'compress');
      expect(res.status).toBe(415);
      expect(res.body.errors[0].extensions).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('answers 413 to a gzip bomb', async () => {
      const bomb = gzipSync(Buffer.from(`{"query":"{ viewer { environment } }","x":"${'0'.repeat(1_000_000)}"}`));
      const res = await post('/graphql', bomb, 'gzip');
      expect(res.status).toBe(413);
      expect(res.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
    });
  });
});
