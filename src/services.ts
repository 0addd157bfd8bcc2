/** The domain services, built once per app from the configured rules and a clock. */
import { CallService } from './calls/call.service';
import type { MetricsConfig } from './config';
import type { LimitsConfig } from './config-operations';
import { CustomerService } from './customers/customer.service';
import { IdentityService } from './identity/identity.service';
import { IntentService } from './intents/intent.service';
import { OrganisationLimits } from './limits/organisation-limits';
import { MetricsService } from './metrics/metrics.service';
import { ErasedCalls } from './privacy/erased-calls';
import { PrivacyService } from './privacy/privacy.service';
import { TombstoneDigests } from './privacy/tombstone-digest';
import type { Clock } from './shared/clock';
import type { MemoryRules } from './shared/memory-rules';
import { ServiceMetrics } from './telemetry/service-metrics';
import { ApiKeyService } from './tenancy/api-key.service';
import { VariableService } from './variables/variable.service';

/** Every domain service, shared by the transports. */
export interface Services {
  rules: MemoryRules;
  clock: Clock;
  identity: IdentityService;
  intents: IntentService;
  variables: VariableService;
  calls: CallService;
  customers: CustomerService;
  metrics: MetricsService;
  privacy: PrivacyService;
  /** Prometheus series of this app (telemetry/service-metrics.ts); `metrics` is the dashboard's outcome figures. */
  telemetry: ServiceMetrics;
  /** Each organisation's rate limit, quota and request-log choice (limits/organisation-limits.ts). */
  limits: OrganisationLimits;
  /** API keys: authentication, and their administration by admin keys (tenancy/api-key.service.ts). */
  keys: ApiKeyService;
}

/** Wires the services together; `appSecret` keys the tombstones' hashes (privacy/tombstone-digest.ts). */
export function createServices(rules: MemoryRules, clock: Clock, metrics: MetricsConfig, appSecret: string, limits: LimitsConfig): Services {
  const digests = new TombstoneDigests(appSecret);
  const identity = new IdentityService();
  const intents = new IntentService(rules);
  const variables = new VariableService(rules);
  const organisationLimits = new OrganisationLimits(limits, clock);
  return {
    rules,
    clock,
    identity,
    intents,
    variables,
    calls: new CallService(rules, identity, intents, variables, clock, metrics.csatVariable, new ErasedCalls(digests), organisationLimits),
    customers: new CustomerService(rules, identity, intents, variables, clock),
    metrics: new MetricsService(metrics),
    privacy: new PrivacyService(digests, clock),
    telemetry: new ServiceMetrics(),
    limits: organisationLimits,
    keys: new ApiKeyService(appSecret, clock),
  };
}
