/**
 * The page arguments of every connection field (the Relay Cursor Connections spec): `first`/`after` to
 * page forward, `last`/`before` to page backward, and the page they ask for. `first` and `last` together
 * are refused (the spec allows them but discourages them; GitHub's API refuses them too): the page one
 * of them gives is always a contiguous run of the list, whose pageInfo means what the client thinks.
 */
import { Max, Min, registerDecorator, type ValidationArguments } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

import type { Page } from '../customers/customer-filter';

/** Page size when the client asks for none. */
export const DEFAULT_PAGE_SIZE = 20;

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

/** The message for `first` and `last` given together. */
export const FIRST_AND_LAST = 'last cannot be given with first: page forward with first and after, or backward with last and before';

/** `first`, `after`, `last` and `before`. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page forward: how many items to return from the start of the list (or after \`after\`), from 0 to ${MAX_PAGE_SIZE}. Without \`first\` and \`last\`, ${DEFAULT_PAGE_SIZE} items. Not with \`last\`.`,
  })
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Return the items after this cursor (an `endCursor` or edge `cursor` from an earlier page).',
  })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Page backward: how many items to return from the end of the list (or before \`before\`), from 0 to ${MAX_PAGE_SIZE}. Not with \`first\`.`,
  })
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: `Return the items before this cursor (a \`startCursor\` or edge \`cursor\` from an earlier page). Without \`first\` and \`last\`, the ${DEFAULT_PAGE_SIZE} items right before it.`,
  })
  before?: string | null;
}

// A decorator on a redeclared property would shadow the field's metadata; class-validator takes the rule as it is.
registerDecorator({
  name: 'notWithFirst',
  target: PageArgs,
  propertyName: 'last',
  options: { message: FIRST_AND_LAST },
  validator: { validate: (last: unknown, args: ValidationArguments) => last == null || (args.object as PageArgs).first == null },
});

/**
 * The page the arguments ask for. Without `first` or `last` it is the first 20 items of the range,
 * except for a `before` alone, which asks for the 20 items right before it.
 */
export function pageRequest(args: PageArgs): Page {
  const { first, last, after, before } = args;
  const backward = last != null || (first == null && before != null && after == null);
  return { size: (backward ? last : first) ?? DEFAULT_PAGE_SIZE, backward, after: after ?? null, before: before ?? null };
}
