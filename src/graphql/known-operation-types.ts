/**
 * A validation rule refusing operations of a type the schema has no root for: `subscription { … }` here.
 * graphql-js 16 validates such a document and only execution fails ("Schema is not configured to execute
 * subscription operation"), with no code, so the client saw INTERNAL_SERVER_ERROR. Refused at validation,
 * it is a GRAPHQL_VALIDATION_FAILED with HTTP 400 that says what is wrong.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

/** The message for an operation type this API does not offer. */
export function unsupportedOperation(operation: string): string {
  return `${operation[0].toUpperCase()}${operation.slice(1)} operations are not supported by this API`;
}

/** Reports every operation whose type (query, mutation, subscription) has no root type in the schema. */
export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(unsupportedOperation(node.operation), { nodes: [node] }));
    }
  },
});
