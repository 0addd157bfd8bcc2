/**
 * Gives back to the pool a PostgreSQL connection that was lost while a transaction held it.
 *
 * When the connection under a transaction dies (the server restarts, a proxy or the network drops it),
 * MikroORM rolls back, the rollback fails on the dead connection, and Kysely's ControlledTransaction only
 * releases its connection after a rollback or commit that succeeded: the pool slot was never returned.
 * Each such request took one slot for good, so after DATABASE_POOL_SIZE of them the instance answered
 * 503 to everything although PostgreSQL was back. (Kysely 0.29, MikroORM 7.2; see docs/decisions.md.)
 *
 * So every checked-out client is released, as broken, as soon as it ends, and its release becomes
 * idempotent: the later release by its holder, if any, does nothing instead of pg-pool's double-release
 * error. A released broken client is removed from the pool, never handed out again.
 */
import type { Pool, PoolClient } from 'pg';

/** Wraps `pool.connect` (what Kysely calls) so lost connections go back to the pool as broken. */
export function releaseLostConnections(pool: Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
  const wrapped = async (): Promise<PoolClient> => {
    const client = await connect();
    const release = client.release;
    let released = false;
    const onEnd = () => {
      if (released) return;
      released = true;
      release(new Error('The connection to PostgreSQL was lost while in use'));
    };
    client.once('end', onEnd);
    client.release = (error?: Error | boolean) => {
      if (released) return;
      released = true;
      client.removeListener('end', onEnd);
      release(error);
    };
    return client;
  };
  pool.connect = wrapped as Pool['connect'];
}
