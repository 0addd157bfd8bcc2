/**
 * A mutation's own input rules, beyond what class-validator says about its arguments: those its service
 * checks before reading the database (a call id's length, an intent label, an unusable number, too many
 * variables). Declared on the resolver with `@ChecksInput(...)`, they let the whole-operation check
 * (operation-arguments.ts) refuse an operation of several mutations before the first one writes; the
 * service still checks them itself, so an operation of one mutation needs nothing more.
 */
import type { GraphQLField } from 'graphql';
import { Extensions } from 'type-graphql';

import type { GraphQLContext } from './context';

/** Throws the AppError the field's resolver would throw for these arguments before any write; returns otherwise. */
export type InputCheck<A = Record<string, unknown>> = (args: A, context: GraphQLContext) => void;

const EXTENSION = 'inputCheck';

/** Declares the input check of a mutation (it receives the field's arguments and the request's context). */
export function ChecksInput<A>(check: InputCheck<A>): MethodDecorator {
  return Extensions({ [EXTENSION]: check });
}

/** The input check a field declares, if any. */
export function inputCheckOf(field: GraphQLField<unknown, unknown>): InputCheck | undefined {
  const check = field.extensions[EXTENSION];
  return typeof check === 'function' ? (check as InputCheck) : undefined;
}
