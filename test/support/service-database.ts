/** A fresh database for a service process (startService), as the environment that points it there. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createScratchDatabase, type Engine } from './scratch-database';

/** Environment variables naming an empty database on the engine, and how to throw it away. */
export interface ServiceDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** An empty SQLite folder (DATA_DIR) or PostgreSQL database (DATABASE_URL). */
export async function serviceDatabase(engine: Engine): Promise<ServiceDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cm-service-'));
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const scratch = await createScratchDatabase('postgresql');
  if (scratch.config.engine !== 'postgresql') throw new Error('expected a PostgreSQL scratch database');
  return { env: { DATABASE_URL: scratch.config.url }, drop: scratch.drop };
}
