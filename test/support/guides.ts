/**
 * The platform guides in docs/ as their contract tests read them: a guide marks each body, template or file
 * it shows with `<!-- contract: NAME -->` right before its fenced code block, and the test sends exactly
 * that block's text, so the guide and what is tested cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCS = join(__dirname, '..', '..', 'docs');

/** The text of the fenced block marked `<!-- contract: name -->` in docs/<guide>, exactly as written. */
export function guideBlock(guide: string, name: string): string {
  const text = readFileSync(join(DOCS, guide), 'utf8');
  const marker = `<!-- contract: ${name} -->`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`docs/${guide} has no block marked ${marker}`);
  if (text.indexOf(marker, at + marker.length) >= 0) throw new Error(`docs/${guide} marks two blocks ${marker}`);
  const fenced = /^\s*```[^\n]*\n([\s\S]*?)^```\s*$/m.exec(text.slice(at + marker.length));
  if (!fenced) throw new Error(`no fenced block after ${marker} in docs/${guide}`);
  return fenced[1];
}

/** The marked block parsed as JSON. */
export function guideJson<T = unknown>(guide: string, name: string): T {
  return JSON.parse(guideBlock(guide, name)) as T;
}

/** A file under docs/, as text. */
export function docsFile(path: string): string {
  return readFileSync(join(DOCS, path), 'utf8');
}

/** The absolute path of a file under docs/. */
export function docsPath(path: string): string {
  return join(DOCS, path);
}

/**
 * The value at a simple JSONPath (`$.a.b`, `$['a']`, or without the `$.`), as platforms' response
 * mappings read answers; undefined when a step is missing.
 */
export function atPath(value: unknown, path: string): unknown {
  const steps = path
    .replace(/^\$\.?/, '')
    .replace(/\['([^']+)'\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
  return steps.reduce<unknown>((node, step) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined), value);
}
