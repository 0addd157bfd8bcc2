/**
 * Issue 9, item 11, under a burst: SIGTERM while hundreds of connections wait to be accepted. Closing a
 * listener resets every connection still queued in the kernel, and the event loop accepts one connection
 * per turn (libuv 1.52), so the close one turn after the drain delay reset requests sent long before it:
 * here 11 to 40 of 500 (the file failed in every run before the fix, on either engine or both); by hand,
 * 235 to 719 of 1,000 one-shot starts with a 1 s delay. The listener now closes only after a turn that
 * accepted nothing.
 */
import { generateApiKey } from '../../src/tenancy/api-key-format';
import { Environment } from '../../src/tenancy/environment';
import { sendCallStart } from '../support/call-start-request';
import { within } from '../support/raw-http';
import { ENGINES } from '../support/scratch-database';
import { serviceDatabase, type ServiceDatabase } from '../support/service-database';
import { killServices, startService } from '../support/service-process';

const KEY = generateApiKey(Environment.TEST);
// Under the default listen backlog (511), and more than either engine accepts in the turns before the old close.
const BURST = 500;

/** A call start on a connection of its own: `answered`, `refused` (nothing was sent) or what dropped it. */
async function startCall(port: number, callId: string, ani: string): Promise<string> {
  const outcome = await sendCallStart(port, KEY, false, callId, ani);
  if (outcome.kind === 'refused') return 'refused';
  if (outcome.kind === 'dropped') return `${callId}: ${outcome.error}`;
  return outcome.status === 200 ? 'answered' : `${callId}: ${outcome.status}`;
}

describe.each(ENGINES)('SIGTERM during a connection burst on %s', (engine) => {
  let database: ServiceDatabase;
  beforeEach(async () => {
    database = await serviceDatabase(engine);
  });
  afterEach(async () => {
    killServices();
    await database.drop();
  });

  it(`answers every one of ${BURST} one-shot requests in flight at SIGTERM, however many wait to be accepted: 0 resets`, async () => {
    // The burst queues for PostgreSQL's pool on a loaded machine: waiting past DATABASE_CONNECT_TIMEOUT_MS is
    // answered 503 (shedding load, test/db/database-unavailable.test.ts), which is not what this test is
    // about, so the wait here is as long as the shutdown deadline.
    const service = await startService({
      ...database.env,
      BOOTSTRAP_API_KEY: KEY,
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '60000',
      DATABASE_CONNECT_TIMEOUT_MS: '60000',
    });
    const calls = Array.from({ length: BURST }, (_, i) => startCall(service.port, `burst-${i}`, `4155540${String(i).padStart(3, '0')}`));
    // The first answer is out: every connection of the burst is open and most wait to be accepted.
    await Promise.race(calls);
    service.child.kill('SIGTERM');

    const results = await within(Promise.all(calls), 60_000, 'every request of the burst to end');
    // A refused connection sent nothing; every request that was sent is answered.
    expect(results.filter((result) => result !== 'answered' && result !== 'refused')).toEqual([]);
    expect(await within(service.exited, 60_000, 'the service to exit')).toBe(0);
  }, 120_000);
});
