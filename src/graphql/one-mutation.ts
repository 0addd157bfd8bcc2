/**
 * A validation rule refusing a mutation operation with more than one root field. Each mutation commits on
 * its own, and a later one can fail for a reason only the data shows (an unknown ref, a conflicting call
 * id, the variable budget, a customer merged into itself) after the earlier ones committed; mutation
 * payloads are non-null, so the answer was `data: null`, hiding those commits. No check before the first
 * write can foresee such failures, and one transaction across them is not possible with SQLite's shared
 * group commit, so an operation runs one mutation (contract: a request any part of which fails commits
 * nothing). Refused at validation, before anything runs: GRAPHQL_VALIDATION_FAILED, HTTP 400. Root fields
 * are counted as the query limits count them (root-fields.ts); `__typename` writes nothing and does not count.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

import { rootResponseNames } from './root-fields';

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
