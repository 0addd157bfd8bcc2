/**
 * A value in PostgreSQL COPY's text format (`copy … from stdin`): `\N` for null, `t`/`f`, a date as ISO 8601,
 * and text with its backslashes, tabs and line breaks escaped, so no value can end a column or a row early.
 * Self-contained (no imports, no outer names): the request log's worker embeds its source (pg-log-writer.ts).
 */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}
