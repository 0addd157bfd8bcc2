/** The dashboard's usage panel: this month's usage report written out as the page shows it. */
import { dashboardView } from '../../src/dashboard/dashboard.view';
import { usagePanel } from '../../src/dashboard/usage-panel';
import { Environment } from '../../src/tenancy/environment';
import type { UsageReport } from '../../src/usage/usage-report';

function report(overrides: Partial<UsageReport> = {}): UsageReport {
  const test = { environment: Environment.TEST, callsStarted: 1200, callsEnded: 1100, identified: 300, identifiedShare: 0.25, days: [] };
  const prod = { environment: Environment.PROD, callsStarted: 0, callsEnded: 0, identified: 0, identifiedShare: null, days: [] };
  return {
    month: '2026-02',
    callsStarted: 1200,
    callsEnded: 1100,
    identified: 300,
    identifiedShare: 0.25,
    quota: 10_000,
    used: 2300,
    left: 7700,
    environments: [test, prod],
    ...overrides,
  };
}

describe('the dashboard usage panel', () => {
  it('writes this month’s starts, ends and identified share per environment, with a total row', () => {
    const panel = usagePanel(report());
    expect(panel.monthLabel).toBe('February 2026 (UTC)');
    expect(panel.rows).toEqual([
      { label: 'Test', starts: '1,200', ends: '1,100', identified: '25.0%' },
      { label: 'Prod', starts: '0', ends: '0', identified: 'no starts' },
    ]);
    expect(panel.total).toEqual({ label: 'Total', starts: '1,200', ends: '1,100', identified: '25.0%' });
  });

  it('shows the quota used and left, with a meter', () => {
    const panel = usagePanel(report());
    expect(panel.quotaLine).toBe('2,300 of 10,000 used · 7,700 left');
    expect(panel.meter).toEqual({ used: 2300, quota: 10_000, label: 'Monthly quota: 2,300 of 10,000 starts and ends used' });
    expect(panel.exhausted).toBe(false);
  });

  it('says a used-up quota is used up, its meter full even when the quota was lowered below what was used', () => {
    const panel = usagePanel(report({ quota: 2000, used: 2300, left: 0 }));
    expect(panel.quotaLine).toBe('2,300 of 2,000 used · 0 left');
    expect(panel.meter).toMatchObject({ used: 2000, quota: 2000 });
    expect(panel.exhausted).toBe(true);
  });

  it('says "Unlimited" without a meter when the organisation has no quota', () => {
    const panel = usagePanel(report({ quota: null, left: null }));
    expect([panel.quotaLine, panel.meter, panel.exhausted]).toEqual(['Unlimited · 2,300 starts and ends counted', null, false]);
  });

  it('is left off the page model when no usage was read', () => {
    const view = dashboardView({
      organisationName: 'Acme Support',
      environment: 'prod',
      timeZone: 'UTC',
      now: new Date('2026-02-07T10:30:00Z'),
      form: { from: '', to: '', compareFrom: '', compareTo: '', goLive: '', days: '' },
      problems: [],
      signOutCsrf: 'token',
      report: null,
    });
    expect(view.usage).toBeNull();
  });
});
