/**
 * Bodies as contact-center platforms really send them (contract §1): JSON, form-encoded with bracket or
 * dot keys (Twilio Studio, Five9, CXone), and JSON mislabelled as a form or text/plain or unlabelled.
 * A body that parses as a JSON object is JSON whatever its label.
 */
import type { RequestHandler } from 'express';

import { AppError } from '../errors/app-error';
import { parseFormBody } from './form-body';
import { decodeText, readBody } from './read-body';

const FORM = /^application\/x-www-form-urlencoded\b/i;
const JSON_TYPE = /^application\/(.+\+)?json\b/i;

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses the body text by content, falling back on the label; sets `req.body` to an object. */
export function parseLenientBody(text: string, contentType: string | undefined): Record<string, unknown> {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{')) {
    const json = parseJsonObject(trimmed);
    if (json) return json;
    throw AppError.malformedBody('The body is not valid JSON');
  }
  if (JSON_TYPE.test(contentType ?? '')) throw AppError.malformedBody('The body is not a JSON object');
  if (FORM.test(contentType ?? '') || /^[^=&\s]+=/.test(trimmed)) {
    return parseFormBody(trimmed);
  }
  throw AppError.malformedBody('The body is neither JSON nor form-encoded');
}

/** Reads any body as text (up to the limit, decoded from its Content-Encoding) and parses it leniently. */
export function lenientBody(limitBytes: number): RequestHandler {
  return async (req, _res, next) => {
    const contentType = req.get('content-type');
    const text = decodeText(await readBody(req, limitBytes), contentType);
    req.body = parseLenientBody(text, contentType);
    next();
  };
}
