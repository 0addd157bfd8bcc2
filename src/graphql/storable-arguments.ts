/**
 * The storable-text and storable-date rules (shared/text.ts, shared/storable-date.ts) over every argument
 * of a field, at any depth: each string and each date of each input object, list and scalar. It walks the
 * argument values themselves, not the input classes, so a field or argument added later is covered
 * without anyone remembering a decorator. Problems come back as class-validator errors, so they are
 * reported with the others (validate-args.ts, operation-arguments.ts) under the same paths: an input
 * object's fields by their own names, a list by the argument's name and index, a scalar by its name.
 */
import { ValidationError } from 'class-validator';

import { isStorableDate, UNSTORABLE_DATE } from '../shared/storable-date';
import { isStorableText, UNSTORABLE_TEXT } from '../shared/text';

type Path = (string | number)[];

function problemsIn(value: unknown, path: Path, found: [Path, string][]): void {
  const name = String(path.at(-1) ?? 'value');
  if (typeof value === 'string') {
    if (!isStorableText(value)) found.push([path, `${name} ${UNSTORABLE_TEXT}`]);
  } else if (value instanceof Date) {
    if (!isStorableDate(value)) found.push([path, `${name} ${UNSTORABLE_DATE}`]);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => problemsIn(item, [...path, i], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) problemsIn(item, [...path, key], found);
  }
}

function asValidationError([head, ...rest]: Path, message: string): ValidationError {
  const error = Object.assign(new ValidationError(), { property: String(head) });
  if (rest.length > 0) error.children = [asValidationError(rest, message)];
  else error.constraints = { storable: message };
  return error;
}

/** Every string and date among a field's argument values that the database cannot store as given. */
export function unstorableArguments(args: Record<string, unknown>): ValidationError[] {
  const found: [Path, string][] = [];
  for (const [name, value] of Object.entries(args)) {
    // An input object's problems are named from its fields, as class-validator names them.
    const isInputObject = value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
    problemsIn(value, isInputObject ? [] : [name], found);
  }
  return found.map(([path, message]) => asValidationError(path, message));
}
