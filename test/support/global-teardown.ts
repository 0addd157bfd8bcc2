/** After the run: the log copy's directory goes if global setup made it (scripts/test keeps its own for the log grep). */
import { rmSync } from 'node:fs';

import { RUN_LOG_DIR_VARIABLE } from './run-log';

/** Set by global setup when it made the directory itself. */
export const RUN_LOG_DIR_MADE_HERE = 'CALLER_MEMORY_TEST_LOG_DIR_MADE_BY_JEST';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env[RUN_LOG_DIR_VARIABLE];
  if (dir && process.env[RUN_LOG_DIR_MADE_HERE] === '1') rmSync(dir, { recursive: true, force: true });
}
