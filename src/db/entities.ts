/** Every entity the ORM knows, in one list shared by the app, the CLI and the tests. */
import { Call } from '../calls/call.entity';
import { Customer } from '../customers/customer.entity';
import { DashboardSession } from '../dashboard/dashboard-session.entity';
import { ExternalIdentity } from '../identity/external-identity.entity';
import { PhoneIdentity } from '../identity/phone-identity.entity';
import { Intent } from '../intents/intent.entity';
import { RateLimitCounter } from '../limits/rate-limit-counter.entity';
import { PrivacyAuditEntry } from '../privacy/privacy-audit.entity';
import { Tombstone } from '../privacy/tombstone.entity';
import { ApiRequest } from '../request-log/api-request.entity';
import { ApiKey } from '../tenancy/api-key.entity';
import { Organisation } from '../tenancy/organisation.entity';
import { UsageDay } from '../usage/usage-day.entity';
import { UsageMonth } from '../usage/usage-month.entity';
import { Variable } from '../variables/variable.entity';

export const entities = [Organisation, ApiKey, Customer, PhoneIdentity, ExternalIdentity, Call, Intent, Variable, DashboardSession, Tombstone, PrivacyAuditEntry, UsageDay, UsageMonth, RateLimitCounter, ApiRequest];
