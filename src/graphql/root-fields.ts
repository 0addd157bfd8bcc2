/** The root fields of an operation, as the validation rules that limit them count them. */
import { Kind, type SelectionSetNode, type ValidationContext } from 'graphql';

/** Introspection's own fields: they run no resolver of ours. */
export const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

/**
 * The response names at the root of an operation (one per resolver call), through inline and named
 * fragments, each fragment once: spreads that double at every level stay linear, and cycles end. Fields
 * under @skip or @include count too, since validation cannot see the variables that decide them.
 * Introspection fields do not count.
 */
export function rootResponseNames(context: ValidationContext, set: SelectionSetNode, names = new Set<string>(), spread = new Set<string>()): Set<string> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!INTROSPECTION_FIELDS.has(selection.name.value)) names.add((selection.alias ?? selection.name).value);
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
