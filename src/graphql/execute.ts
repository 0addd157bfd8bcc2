/**
 * Runs an operation through the GraphQL schema in-process (Apollo's executeOperation), so the REST shim
 * shares the resolvers, validation, auth context and error codes of /graphql. Errors come back as AppError.
 */
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

import { AppError, type Issue } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import type { GraphQLContext } from './context';

const CODES = new Set<string>(Object.values(ErrorCode));

function toAppError(error: GraphQLFormattedError): Error {
  const code = error.extensions?.code;
  if (typeof code === 'string' && CODES.has(code) && code !== ErrorCode.Internal) {
    return AppError.fromCode(code as ErrorCode, error.message, error.extensions?.issues as Issue[] | undefined);
  }
  // Already logged and masked by formatError; the REST error handler masks it again as a 500.
  return new Error(`GraphQL operation failed: ${error.message}`);
}

/** Executes the operation and returns its data, or throws its first error. */
export async function executeOperation<T>(
  apollo: ApolloServer<GraphQLContext>,
  context: GraphQLContext,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const response = await apollo.executeOperation({ query, variables }, { contextValue: context });
  if (response.body.kind !== 'single') throw new Error('Unexpected incremental GraphQL response');
  const { data, errors } = response.body.singleResult;
  if (errors?.length) throw toAppError(errors[0]);
  return data as T;
}
