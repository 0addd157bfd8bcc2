/** Before any test: PostgreSQL must be reachable, or the whole run fails loudly (never skips quietly). */
import { assertPostgresReachable } from './scratch-database';

export default async function globalSetup(): Promise<void> {
  await assertPostgresReachable();
}
