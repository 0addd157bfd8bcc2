/** Reads a run's log copy and finds the needles (log-needles.ts) in it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { API_KEY, type Needles } from './log-needles';

/** One leak: where, what kind, which needle, and the line. */
export interface Finding {
  file: string;
  line: number;
  kind: 'phone' | 'value' | 'key';
  needle: string;
  text: string;
}

/** What a scan read and found. */
export interface Scan {
  files: string[];
  lines: number;
  findings: Finding[];
}

/** The line with the separators between digits dropped, so `(415) 555-0142` reads `4155550142`. */
function digitsJoined(line: string): string {
  return line.replace(/(?<=\d)[\s().-]+(?=\d)/g, '');
}

/**
 * The line without its `callId` field, for the value search only: a call id is the client's own label, logged
 * on purpose so a failure can be traced, and tests name calls after their data (`input-rules-1`). Phone
 * numbers in it are masked by the service and still searched for.
 */
function withoutCallId(text: string): string {
  return text.replace(/"callId":"(?:[^"\\]|\\.)*"/g, '"callId":""');
}

function findIn(file: string, text: string, needles: Needles): Finding[] {
  const lines = text.split('\n');
  const findings: Finding[] = [];
  const report = (kind: Finding['kind'], needle: string, test: (line: string) => boolean) => {
    lines.forEach((line, i) => {
      if (test(line)) findings.push({ file, line: i + 1, kind, needle, text: line.slice(0, 400) });
    });
  };
  // Whole-file searches first (fast); only a file that holds a needle is searched line by line.
  const joined = digitsJoined(text);
  for (const national of needles.phones.keys()) {
    if (joined.includes(national)) report('phone', national, (line) => digitsJoined(line).includes(national));
  }
  const valueText = withoutCallId(text);
  for (const value of needles.values.keys()) {
    if (valueText.includes(value)) report('value', value, (line) => withoutCallId(line).includes(value));
  }
  if (API_KEY.test(text)) report('key', 'sk_…', (line) => API_KEY.test(line));
  return findings;
}

/** Scans every file in the directory. */
export function scanLogDir(dir: string, needles: Needles): Scan {
  const files = readdirSync(dir).filter((name) => name.endsWith('.log'));
  const scan: Scan = { files, lines: 0, findings: [] };
  for (const name of files) {
    const text = readFileSync(join(dir, name), 'utf8');
    scan.lines += text.split('\n').filter((line) => line.trim() !== '').length;
    scan.findings.push(...findIn(name, text, needles));
  }
  return scan;
}
