/**
 * PostgreSQL tables that hold rows but have never been analysed get their statistics at start-up. A
 * database restored with pg_restore (which carries no statistics) or loaded by COPY has none until
 * autovacuum's first visit; until then the planner takes its tables for empty, and the call path's
 * prepared statements keep the plans it made then: a call looked up by scanning every call of the tenant
 * through the metrics index instead of the unique (tenant, call_id) index, a customer locked by scanning
 * the tenant's customers. Measured in the bench (docs/decisions.md, issue 12): up to 3× the database's
 * work per call. Empty tables are left alone: an analysed empty table is planned as empty for good.
 */
import type { EntityManager } from '@mikro-orm/core';

interface Unanalysed {
  relname: string;
}

/** Analyses this schema's never-analysed tables that hold rows; answers their names. */
export async function analyzeTablesWithoutStatistics(em: EntityManager): Promise<string[]> {
  const connection = em.getConnection();
  const tables = await connection.execute<Unanalysed[]>(
    `select relname from pg_stat_user_tables
      where schemaname = current_schema() and last_analyze is null and last_autoanalyze is null and n_live_tup > 0
      order by relname`,
  );
  for (const { relname } of tables) await connection.execute(`analyze "${relname.replaceAll('"', '""')}"`);
  return tables.map((t: Unanalysed) => t.relname);
}
