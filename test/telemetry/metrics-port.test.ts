/**
 * METRICS_PORT: the real service (a child process) serves /metrics on a listener of its own, without
 * credentials, with the process's own series (CPU, memory, event loop) beside the service's; the main
 * port still asks for credentials; the listener closes with the service.
 */
import { createServer } from 'node:net';

import { generateApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';
import { serviceDatabase, type ServiceDatabase } from '../support/service-database';
import { failedStart, killServices, startService, type ServiceProcess } from '../support/service-process';
import { Scrape } from './scrape';

const KEY = generateApiKey(Environment.TEST);

/** The port the 'metrics listening' line announced. */
function metricsPortOf(service: ServiceProcess): number {
  const line = /"port":(\d+)[^\n]*"msg":"metrics listening"/.exec(service.output());
  if (!line) throw new Error(`no 'metrics listening' line in:\n${service.output()}`);
  return Number(line[1]);
}

describe('the metrics port', () => {
  let database: ServiceDatabase;
  let service: ServiceProcess;
  let metricsPort: number;

  beforeAll(async () => {
    database = await serviceDatabase('sqlite');
    service = await startService({ ...database.env, BOOTSTRAP_API_KEY: KEY, METRICS_PORT: '0' });
    metricsPort = metricsPortOf(service);
    // A start from source compiles the whole service: slow on a busy machine.
  }, 60_000);
  afterAll(async () => {
    killServices();
    await database.drop();
  });

  it('serves the service’s and the process’s series without credentials', async () => {
    const start = await fetch(`http://127.0.0.1:${service.port}/v1/calls/start`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ call_id: 'metrics-port-1', identity_hints: { ani: '+14155550197' } }),
    });
    expect(start.status).toBe(200);

    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = new Scrape(await res.text());
    expect(s.histogram('caller_memory_http_request_duration_seconds', { route: '/v1/calls/start', method: 'POST', status: '200' })?.count).toBe(1);
    expect(s.value('caller_memory_identifications_total', { recommendation: 'ignore' })! + s.value('caller_memory_identifications_total', { recommendation: 'confirm' })! + s.value('caller_memory_identifications_total', { recommendation: 'reuse' })!).toBe(1);
    // collectProcessMetrics, once for the process.
    expect(s.typeOf('caller_memory_process_cpu_user_seconds_total')).toBe('COUNTER');
    expect(s.typeOf('caller_memory_process_resident_memory_bytes')).toBe('GAUGE');
    expect(s.typeOf('caller_memory_nodejs_eventloop_lag_seconds')).toBe('GAUGE');
    expect(s.value('caller_memory_sqlite_wal_bytes')).toBeGreaterThan(0);
    expect(s.text).not.toContain('4155550197');
  });

  it('serves nothing else there', async () => {
    expect((await fetch(`http://127.0.0.1:${metricsPort}/v1/calls/start`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('still asks for credentials on the service’s own port', async () => {
    expect((await fetch(`http://127.0.0.1:${service.port}/metrics`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${service.port}/metrics`, { headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(200);
  });

  it('closes with the service on SIGTERM', async () => {
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
  });
});

describe('a taken metrics port', () => {
  let database: ServiceDatabase;
  beforeAll(async () => {
    database = await serviceDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('stops the start with one line naming METRICS_PORT (exit 75: the port may be freed)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const failed = await failedStart({ ...database.env, METRICS_PORT: String(port) });
      expect(failed.code).toBe(75);
      expect(failed.stderr.trim()).toBe(
        `caller-memory cannot start: METRICS_PORT: ${port} is already in use on 127.0.0.1 (EADDRINUSE); stop what holds it or set METRICS_PORT to a free port`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
