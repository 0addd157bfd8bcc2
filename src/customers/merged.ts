/** A merged customer's ref keeps working: it resolves to the customer it was merged into. */

/** Follows `mergedIntoId` from `customer` to the surviving customer (at most 10 hops, against cycles). */
export async function followMerges<C extends { mergedIntoId?: string | null }>(customer: C | null, byId: (id: string) => Promise<C | null>): Promise<C | null> {
  let current = customer;
  for (let hops = 0; current?.mergedIntoId && hops < 10; hops++) current = await byId(current.mergedIntoId);
  return current;
}
