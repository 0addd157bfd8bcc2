/**
 * Writing the request log never slows or fails a call: a bounded queue whose overflow is dropped and
 * counted, a failed write that drops its batch and answers the calls anyway, what is queued written on
 * close, and the retention purge; entries handed to a writer that holds them count until they are written,
 * and are not kept on the event loop's heap meanwhile.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { runPurge } from '../../src/maintenance/purge';
import type { ApiRequestWriter } from '../../src/request-log/api-request.sql';
import { RequestLog } from '../../src/request-log/request-log';
import { ENGINES } from '../support/scratch-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { entriesCounted, entryRow, logClient, storedEntries } from './request-log-fixture';

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(ENGINES)('request log writer on %s', (engine) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(engine, { REQUEST_LOG_QUEUE_LIMIT: '10', REQUEST_LOG_RETENTION_DAYS: '2' });
  });
  afterEach(() => t.close());

  it('drops and counts the entries that arrive while the queue is full, and writes and counts the rest', async () => {
    const client = await logClient(t);
    for (let i = 0; i < 15; i += 1) t.requestLog.record(entryRow(client.organisation.id, new Date(), `q-${i}`));
    expect(await entriesCounted(t, 'dropped')).toBe(5);
    const stored = await storedEntries(t, client.organisation.id);
    expect(stored.map((e) => e.call_id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `q-${i}`).sort());
    expect(await entriesCounted(t, 'written')).toBe(10);
  });

  it('answers every call when the log cannot be written: the batch is dropped and counted', async () => {
    const client = await logClient(t);
    await t.orm.em.getConnection().execute('drop table api_requests');
    for (let i = 0; i < 3; i += 1) await client.post('/v1/calls/start', { call_id: `fail-${i}`, identity_hints: { ani: '+14155550188' } }).expect(200);
    await t.requestLog.flush();
    expect(await entriesCounted(t, 'dropped')).toBe(3);
    expect(await entriesCounted(t, 'written')).toBe(0);
  });

  it('writes what is queued when the app closes', async () => {
    const client = await logClient(t);
    t.requestLog.record(entryRow(client.organisation.id, new Date(), 'at-close'));
    await t.requestLog.close();
    const [entry] = await t.orm.em.getConnection().execute<{ call_id: string }[]>('select call_id from api_requests');
    expect(entry.call_id).toBe('at-close');
    expect(t.requestLog.enabled).toBe(false);
  });

  it('purges entries older than REQUEST_LOG_RETENTION_DAYS and keeps the others', async () => {
    const client = await logClient(t);
    const now = t.services.clock.now().getTime();
    for (const [ageDays, id] of [[3, 'old-1'], [2.5, 'old-2'], [1, 'new-1'], [0, 'new-2']] as const) {
      t.requestLog.record(entryRow(client.organisation.id, new Date(now - ageDays * DAY_MS), id));
    }
    await t.requestLog.flush();
    const removed = await runPurge(t.orm, t.services, { requestLogRetentionMs: t.config.requestLog.retentionMs });
    expect(removed?.apiRequests).toBe(2);
    expect((await storedEntries(t, client.organisation.id)).map((e) => e.call_id).sort()).toEqual(['new-1', 'new-2']);
  });
});

describe('request log switched off (REQUEST_LOG=false)', () => {
  it('records nothing', async () => {
    const t = await createTestApp('sqlite', { REQUEST_LOG: 'false' });
    try {
      const client = await logClient(t);
      await client.post('/v1/calls/start', { call_id: 'off-1', identity_hints: { ani: '+14155550188' } }).expect(200);
      expect(await storedEntries(t)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('request log hand-over to a writer that holds entries', () => {
  /** A writer whose inserts are written only when the test says so. */
  function heldWriter() {
    const waiting: { rows: number; written(): void }[] = [];
    let flushes = 0;
    const writer: ApiRequestWriter = {
      batchSize: 100,
      handOverMs: 5,
      insert: (rows) => new Promise<void>((resolve) => waiting.push({ rows: rows.length, written: resolve })),
      flush: () => {
        flushes++;
        for (const insert of waiting.splice(0)) insert.written();
      },
      close: () => Promise.resolve(),
    };
    return { writer, waiting, flushes: () => flushes };
  }

  it('hands entries over without waiting for the writes, and counts those not yet written against the queue limit', async () => {
    const t = await createTestApp('sqlite');
    const held = heldWriter();
    const log = new RequestLog(t.orm, t.services.limits, t.services.telemetry, t.logger, { ...t.config.requestLog, queueLimit: 3 }, held.writer);
    try {
      const client = await logClient(t);
      for (const id of ['h-1', 'h-2']) log.record(entryRow(client.organisation.id, new Date(), id));
      await sleep(50);
      log.record(entryRow(client.organisation.id, new Date(), 'h-3'));
      await sleep(50);
      // Two hand-overs, neither waiting for the one before it; the queue is full of entries not yet written.
      expect(held.waiting.map((insert) => insert.rows)).toEqual([2, 1]);
      expect(log.queued).toBe(3);
      log.record(entryRow(client.organisation.id, new Date(), 'h-4'));
      expect(await entriesCounted(t, 'dropped')).toBe(1);
      // flush() asks the writer to write what it holds, and waits for it.
      await log.flush();
      expect(held.flushes()).toBe(1);
      expect(log.queued).toBe(0);
      expect(await entriesCounted(t, 'written')).toBe(3);
    } finally {
      await log.close();
      await t.close();
    }
  });

  it('keeps no handed-over entry alive on the event loop while the writer holds it', async () => {
    // A closure naming the batch once kept every entry alive until the worker's commit answered, long enough
    // for the garbage collector to promote them (issue 13, tenth session).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const t = await createTestApp('sqlite');
    const handedOver: WeakRef<object>[] = [];
    const pending: (() => void)[] = [];
    const writer: ApiRequestWriter = {
      batchSize: 100,
      handOverMs: 5,
      insert: (rows) => {
        handedOver.push(new WeakRef(rows), ...rows.map((row) => new WeakRef(row)));
        return new Promise<void>((resolve) => pending.push(resolve));
      },
      flush: () => undefined,
      close: () => Promise.resolve(),
    };
    const log = new RequestLog(t.orm, t.services.limits, t.services.telemetry, t.logger, t.config.requestLog, writer);
    try {
      const client = await logClient(t);
      for (const id of ['gc-1', 'gc-2', 'gc-3']) log.record(entryRow(client.organisation.id, new Date(), id));
      await sleep(50);
      expect(pending).toHaveLength(1);
      expect(log.queued).toBe(3);
      gc();
      await sleep(0);
      gc();
      expect(handedOver.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
      for (const written of pending.splice(0)) written();
      await log.flush();
      expect(await entriesCounted(t, 'written')).toBe(3);
    } finally {
      for (const written of pending) written();
      await log.close();
      await t.close();
    }
  });
});
