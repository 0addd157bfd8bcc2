/**
 * A validation rule refusing a mutation operation with more than one root field. Each mutation commits on
 * its own, and a later one can fail for a reason only the data shows (an unknown ref, a conflicting call
 * id, the variable budget, a customer merged into itself) after the earlier ones committed; mutation
 * payloads are non-null, so the answer was `data: null`, hiding those commits. No check before the first
 * write can foresee such failures, and one transaction across them is not possible with SQLite's shared
 * group commit, so an operation runs one mutation (contract: a request any part of which fails commits
 * nothing). Refused at validation, before anything runs: GRAPHQL_VALIDATION_FAILED, HTTP 400.
 */
import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/** The message for a mutation operation of `count` root fields. */
export function oneMutationOnly(count: number): string {
  return `A mutation operation runs one mutation (this one has ${count}); send each mutation as its own operation`;
}

/** Reports every mutation operation with more than one root field. */
export const oneMutationRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== 'mutation') return;
    const count = rootResponseNames(context, node.selectionSet).size;
    if (count > 1) context.reportError(new GraphQLError(oneMutationOnly(count), { nodes: [node] }));
  },
});

/**
 * The response names at the root, through fragments, each fragment once (spreads that double at every
 * level stay linear). Fields under @skip or @include count too: validation cannot see the variables that
 * decide them. `__typename` writes nothing and does not count.
 */
function rootResponseNames(context: ValidationContext, set: SelectionSetNode, names = new Set<string>(), spread = new Set<string>()): Set<string> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') names.add((selection.alias ?? selection.name).value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootResponseNames(context, selection.selectionSet, names, spread);
    } else if (!spread.has(selection.name.value)) {
      spread.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) rootResponseNames(context, fragment.selectionSet, names, spread);
    }
  }
  return names;
}
