/**
 * A browser's part in the dashboard's HTTP tests, over supertest: it keeps the cookies it is given (by
 * name, as a browser would for the dashboard's path), reads the forms' CSRF tokens from the pages, and
 * posts forms. Every Set-Cookie stays inspectable (flags included).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { Express } from 'express';
import request from 'supertest';

import { ApiKeyRole } from '../../src/tenancy/api-key-role';
import type { ApiKeyService } from '../../src/tenancy/api-key.service';
import { Environment } from '../../src/tenancy/environment';
import { makeOrganisation } from '../support/factories';

/** The CSRF token in a page's form. */
export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]*)"/.exec(html);
  if (!match) throw new Error('no csrf field on the page');
  return match[1];
}

/** The Set-Cookie headers of an answer. */
export function setCookies(res: request.Response): string[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

/** The Set-Cookie header for one cookie name, or undefined. */
export function setCookie(res: request.Response, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}

/** An organisation and one key of each role. */
export async function makeKeys(keys: ApiKeyService, em: EntityManager, name = 'Acme Support', environment = Environment.PROD) {
  const organisation = await makeOrganisation(keys, em, { name });
  const admin = await keys.createKey(em, organisation, environment, 'dashboard admin', ApiKeyRole.ADMIN);
  const standard = await keys.createKey(em, organisation, environment, 'ivr', ApiKeyRole.STANDARD);
  return { organisation, admin, standard };
}

/** One browser: its cookies and the headers it always sends. */
export class DashboardBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: Express,
    private readonly headers: Record<string, string> = {},
  ) {}

  private remember(res: request.Response): request.Response {
    for (const cookie of setCookies(res)) {
      const [pair, ...attributes] = cookie.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      const expires = attributes.find((a) => /^expires=/i.test(a));
      const gone = value === '' || attributes.some((a) => /^max-age=0$/i.test(a)) || (expires !== undefined && Date.parse(expires.slice(8)) < Date.now());
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** GET with this browser's cookies. */
  async get(path: string, headers: Record<string, string> = {}): Promise<request.Response> {
    const req = request(this.app).get(path).set(this.headers).set(headers);
    if (this.cookies.size > 0) req.set('Cookie', this.cookieHeader());
    return this.remember(await req);
  }

  /** POST a form (fields, or raw bytes, perhaps with their own content type) with this browser's cookies. */
  async post(path: string, body: Record<string, string> | string | Buffer, headers: Record<string, string> = {}): Promise<request.Response> {
    const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : new URLSearchParams(body).toString();
    const req = request(this.app).post(path).set(this.headers).set('Content-Type', 'application/x-www-form-urlencoded').set(headers);
    if (this.cookies.size > 0) req.set('Cookie', this.cookieHeader());
    // superagent would serialise a form-labelled body itself; send the bytes as they are.
    return this.remember(await req.serialize((bytes: unknown) => bytes as string).send(text));
  }

  /** Opens the sign-in form and returns its CSRF token. */
  async signInToken(): Promise<string> {
    const res = await this.get('/dashboard/sign-in');
    if (res.status !== 200) throw new Error(`sign-in form answered ${res.status}`);
    return csrfOf(res.text);
  }

  /** Signs in with a key through the form. */
  async signIn(key: string, headers: Record<string, string> = {}): Promise<request.Response> {
    return this.post('/dashboard/sign-in', { api_key: key, csrf: await this.signInToken() }, headers);
  }

  /** The sign-out form's token, read from the dashboard page. */
  async signOutToken(): Promise<string> {
    const res = await this.get('/dashboard');
    if (res.status !== 200) throw new Error(`dashboard answered ${res.status}`);
    return csrfOf(res.text);
  }
}
