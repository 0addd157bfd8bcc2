/** SQL text as a trace may show it: the statement's shape, without the values written into it. */

// A standard string ('' escapes a quote; a backslash is an ordinary character) or an E'' string (backslash escapes).
const LITERAL = /[eE]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'/g;

/**
 * Replaces every quoted literal of `sql` with `?`. Our own statements pass values as parameters ($1), but
 * the ORM writes some values into the text (`where id = '…'`), and a trace must not carry them.
 */
export function withoutLiterals(sql: string): string {
  return sql.replace(LITERAL, '?');
}
