/**
 * The page arguments of the API's lists, which all page by keyset (keyset.ts): PageArgs with `after`
 * and `before` checked as such cursors with the other arguments, before anything runs, so a bad cursor
 * nested under a mutation is refused before the write (operation-arguments.ts) instead of failing after it.
 */
import { registerDecorator } from 'class-validator';
import { ArgsType } from 'type-graphql';

import { AppError } from '../errors/app-error';
import { keysetPosition } from './keyset';
import { PageArgs } from './page-args';

function isKeysetCursor(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    keysetPosition(value);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

/** `first`, `after`, `last` and `before` of a keyset-paged list. */
@ArgsType()
export class KeysetPageArgs extends PageArgs {}

// A decorator on a redeclared property would shadow the inherited field; class-validator takes the rule as it is.
for (const propertyName of ['after', 'before']) {
  registerDecorator({
    name: 'isKeysetCursor',
    target: KeysetPageArgs,
    propertyName,
    options: { message: 'Invalid cursor' },
    validator: { validate: isKeysetCursor },
  });
}
