/** The tenant condition every plain-SQL statement on caller data carries (the ORM's `tenant` filter, by hand). */
import type { Tenant } from './environment';

/** `organisation_id = ? and environment = ?`, on a table alias when given. */
export function tenantWhere(alias?: string): string {
  const at = alias ? `${alias}.` : '';
  return `${at}organisation_id = ? and ${at}environment = ?`;
}

/** The parameters of `tenantWhere`, in order. */
export function tenantParams(tenant: Tenant): [string, string] {
  return [tenant.organisationId, tenant.environment];
}
