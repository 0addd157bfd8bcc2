/** A merged customer's ref keeps working: it resolves to the customer it was merged into. */

/**
 * Follows `mergedIntoId` from `customer` to the surviving customer, however long the chain (merges
 * compress chains as they go, but older databases may hold long ones). A chain that loops back on itself
 * has no survivor: null, like a ref that names no one.
 */
export async function followMerges<C extends { id: string; mergedIntoId?: string | null }>(
  customer: C | null,
  byId: (id: string) => Promise<C | null>,
): Promise<C | null> {
  const seen = new Set<string>();
  let current = customer;
  while (current?.mergedIntoId) {
    if (seen.has(current.id)) return null;
    seen.add(current.id);
    current = await byId(current.mergedIntoId);
  }
  return current;
}
