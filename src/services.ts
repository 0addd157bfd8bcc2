/** The domain services, built once per app from the configured rules and a clock. */
import { CallService } from './calls/call.service';
import type { MetricsConfig } from './config';
import { CustomerService } from './customers/customer.service';
import { IdentityService } from './identity/identity.service';
import { IntentService } from './intents/intent.service';
import { MetricsService } from './metrics/metrics.service';
import type { Clock } from './shared/clock';
import type { MemoryRules } from './shared/memory-rules';
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
}

/** Wires the services together. */
export function createServices(rules: MemoryRules, clock: Clock, metrics: MetricsConfig): Services {
  const identity = new IdentityService();
  const intents = new IntentService(rules);
  const variables = new VariableService(rules);
  return {
    rules,
    clock,
    identity,
    intents,
    variables,
    calls: new CallService(rules, identity, intents, variables, clock, metrics.csatVariable),
    customers: new CustomerService(rules, identity, intents, variables, clock),
    metrics: new MetricsService(metrics),
  };
}
