/**
 * Merging two customers found to be one person: identities, calls, intents and variables move to the
 * target; where both have the same intent or variable, the more recently updated one wins.
 */
import type { EntityManager } from '@mikro-orm/core';

import { Call } from '../calls/call.entity';
import { ExternalIdentity } from '../identity/external-identity.entity';
import { PhoneIdentity } from '../identity/phone-identity.entity';
import { Intent } from '../intents/intent.entity';
import { Variable } from '../variables/variable.entity';
import { Customer } from './customer.entity';

/** Moves rows keyed by name from source to target, keeping the newer of two with the same name. */
async function moveNamed<T extends Intent | Variable>(
  em: EntityManager,
  entity: typeof Intent | typeof Variable,
  source: Customer,
  target: Customer,
): Promise<void> {
  const theirs = (await em.find(entity as typeof Intent, { customer: source })) as T[];
  const ours = new Map(((await em.find(entity as typeof Intent, { customer: target })) as T[]).map((row) => [row.name, row]));
  const moving: T[] = [];
  for (const row of theirs) {
    const clash = ours.get(row.name);
    if (clash && clash.updatedAt >= row.updatedAt) {
      em.remove(row);
      continue;
    }
    if (clash) em.remove(clash);
    moving.push(row);
  }
  // Removals in a flush of their own: one flush writes updates before deletes, and the unique
  // (customer, name) index must never see the moved row next to the one it replaces.
  await em.flush();
  for (const row of moving) row.customer = target;
  await em.flush();
}

/** Moves everything of `source` to `target` and marks `source` as merged into it. */
export async function mergeInto(em: EntityManager, source: Customer, target: Customer, now: Date): Promise<void> {
  const targetPhones = new Set((await em.find(PhoneIdentity, { customer: target })).map((p) => p.e164));
  for (const phone of await em.find(PhoneIdentity, { customer: source })) {
    if (targetPhones.has(phone.e164)) em.remove(phone);
    else phone.customer = target;
  }
  await em.flush();
  await em.nativeUpdate(ExternalIdentity, { customer: source }, { customer: target });
  await em.nativeUpdate(Call, { customer: source }, { customer: target });
  await moveNamed<Intent>(em, Intent, source, target);
  await moveNamed<Variable>(em, Variable, source, target);

  target.callCount += source.callCount;
  if (source.lastCallAt && (!target.lastCallAt || source.lastCallAt > target.lastCallAt)) target.lastCallAt = source.lastCallAt;
  target.provisional = target.provisional && source.provisional;
  target.updatedAt = now;
  source.mergedIntoId = target.id;
  source.callCount = 0;
  source.provisional = false;
  source.updatedAt = now;
  await em.flush();
  // Customers merged into the source earlier now point at the target too, so a ref resolves in one hop
  // however many merges it went through.
  await em.nativeUpdate(Customer, { mergedIntoId: source.id }, { mergedIntoId: target.id });
}
