/**
 * Each walk-through in the docs uses its own caller: following the README's quick start and then a guide
 * (or two guides) on one service must still give the answers each shows ("a first-time caller gets…").
 * Regression: docs/five9.md §8 used the README's number, so after the quick start §8's first call was
 * already a returning caller and its answers contradicted the guide.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readAni } from '../../src/identity/phone-number';
import { docsFile } from '../support/guides';

/** The number every walk-through dials (the DNIS): the same everywhere, and never a caller. */
const DIALLED = '+18005550100';
const PHONE = /(?:\+?1[\s-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g;

/** The caller numbers a text uses, as E.164. */
function callers(text: string): Set<string> {
  const numbers = [...text.matchAll(PHONE)].map(([raw]) => readAni(raw, 'US')).flatMap((a) => (a.kind === 'number' ? [a.e164] : []));
  return new Set(numbers.filter((n) => n !== DIALLED));
}

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** Each walk-through's text: the README's "Try it" block, five9.md's section 8, each platform guide whole. */
const WALKTHROUGHS: [string, () => string][] = [
  ['README quick start', () => README.slice(README.indexOf('Try it:'), README.indexOf('## The REST shim'))],
  ['five9.md section 8', () => docsFile('five9.md').slice(docsFile('five9.md').indexOf('## 8. Testing with curl'))],
  ['amazon-connect.md', () => docsFile('amazon-connect.md')],
  ['genesys-cloud.md', () => docsFile('genesys-cloud.md')],
  ['voiceflow.md', () => docsFile('voiceflow.md')],
  ['dialogflow-cx.md', () => docsFile('dialogflow-cx.md')],
  ['llm-agents.md', () => docsFile('llm-agents.md')],
];

describe('the walk-throughs’ callers', () => {
  it.each(WALKTHROUGHS)('%s uses a caller number', (_name, text) => {
    expect(callers(text()).size).toBeGreaterThan(0);
  });

  it('never share a caller number, so following one after another gives the answers each shows', () => {
    const seen = new Map<string, string>();
    const shared: string[] = [];
    for (const [name, text] of WALKTHROUGHS) {
      for (const number of callers(text())) {
        const other = seen.get(number);
        if (other) shared.push(`${number}: ${other} and ${name}`);
        else seen.set(number, name);
      }
    }
    expect(shared).toEqual([]);
  });
});
