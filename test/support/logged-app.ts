/** The app over a scratch SQLite database with its log lines captured, and one API key to call it with. */
import { Writable } from 'node:stream';

import type { MikroORM } from '@mikro-orm/core';

import { createApp, type BuiltApp } from '../../src/app';
import { createLogger } from '../../src/logging/logger';
import { makeKey, makeOrganisation } from './factories';
import { teeToRunLog } from './run-log';
import { createTestOrm, testConfig } from './test-app';

/** A built app whose log lines (JSON text) collect in `lines`. */
export interface LoggedApp {
  built: BuiltApp;
  orm: MikroORM;
  lines: string[];
  secret: string;
  close(): Promise<void>;
}

/** Builds the app with an `info` logger writing into `lines` (settings as environment overrides, as createTestApp). */
export async function createLoggedApp(env: Record<string, string> = {}): Promise<LoggedApp> {
  const scratch = await createTestOrm('sqlite');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const built = await createApp({ config: testConfig(env), orm: scratch.orm, logger: createLogger('info', teeToRunLog(sink)) });
  const em = scratch.orm.em.fork();
  const secret = (await makeKey(built.keys, em, await makeOrganisation(built.keys, em))).secret;
  return {
    built,
    orm: scratch.orm,
    lines,
    secret,
    close: async () => {
      await built.apollo.stop();
      await built.requestLog.close();
      await scratch.close();
    },
  };
}
