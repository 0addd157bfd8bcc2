/**
 * Structured JSON logs. Keys, phone numbers and variable values never reach a log line in clear:
 * the paths below are censored wherever they appear, and `maskPhone` is for numbers inside messages.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Log fields that may carry secrets or caller data (pino redact paths, one wildcard level deep). */
export const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'key',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'ani',
  'dnis',
  'variables',
  'identity_hints',
  'external_ids',
  '*.authorization',
  '*.apiKey',
  '*.key',
  '*.ani',
  '*.dnis',
  '*.variables',
  '*.identity_hints',
  '*.external_ids',
  '*.value',
];

/** Creates the service logger; tests pass a destination to read what was written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'caller-memory' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Masks all but the last two digits of anything that looks like a phone number in free text. */
export function maskPhone(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (match) => {
    const digits = match.replace(/\D/g, '');
    return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
  });
}
