/**
 * class-validator on GraphQL arguments, reporting every problem at once. type-graphql's own validation
 * stops at the first invalid argument and at the first invalid item of a list; this one checks them all.
 */
import { ValidationError, validateSync } from 'class-validator';
import { ArgumentValidationError, type ValidatorFn } from 'type-graphql';

import { unstorableArguments } from './storable-arguments';

const OPTIONS = { skipMissingProperties: true, forbidUnknownValues: false };

/** Problems found so far in the arguments of one field resolution. */
interface Pending {
  errors: ValidationError[];
  reported: boolean;
}

const pending = new WeakMap<object, Pending>();

function nested(property: string, children: ValidationError[]): ValidationError {
  return Object.assign(new ValidationError(), { property, children });
}

/** class-validator's problems with one argument value (an input object, a list of them, or an args class). */
export function argumentProblems(value: unknown, args: Record<string, unknown>): ValidationError[] {
  if (!Array.isArray(value)) return value !== null && typeof value === 'object' ? validateSync(value, OPTIONS) : [];
  const items = value.flatMap((item, i) => {
    const errors = item !== null && typeof item === 'object' ? validateSync(item, OPTIONS) : [];
    return errors.length > 0 ? [nested(String(i), errors)] : [];
  });
  // The function is not told the argument's name; a field's only list argument is the one being checked.
  const lists = Object.keys(args).filter((name) => Array.isArray(args[name]));
  return items.length > 0 && lists.length === 1 ? [nested(lists[0], items)] : items;
}

/**
 * The `validateFn` for buildSchema. type-graphql calls it for each argument of a field in one synchronous
 * pass before awaiting any; so each call records its problems, waits one tick, and the first call to wake
 * throws them all together.
 */
export const validateArguments: ValidatorFn = async (value, _type, resolverData) => {
  let state = pending.get(resolverData);
  if (!state) {
    // The first call of a field also checks the text and dates of all its arguments (storable-arguments.ts).
    state = { errors: unstorableArguments(resolverData.args), reported: false };
    pending.set(resolverData, state);
  }
  state.errors.push(...argumentProblems(value, resolverData.args));
  await Promise.resolve();
  if (state.errors.length > 0 && !state.reported) {
    state.reported = true;
    throw new ArgumentValidationError(state.errors);
  }
};
