/**
 * Before any test: PostgreSQL must be reachable, or the whole run fails loudly (never skips quietly). The
 * run's log copy gets its directory here when scripts/test has not named one (test/support/run-log.ts);
 * the workers jest starts next inherit the variable, and global teardown removes a directory made here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RUN_LOG_DIR_MADE_HERE } from './global-teardown';
import { RUN_LOG_DIR_VARIABLE } from './run-log';
import { assertPostgresReachable } from './scratch-database';

export default async function globalSetup(): Promise<void> {
  if (!process.env[RUN_LOG_DIR_VARIABLE]) {
    process.env[RUN_LOG_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'caller-memory-logs-'));
    process.env[RUN_LOG_DIR_MADE_HERE] = '1';
  }
  await assertPostgresReachable();
}
