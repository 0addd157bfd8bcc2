/** The /graphql body: read like every body (bounded, decoded) and parsed when labelled JSON, as express.json did. */
import type { RequestHandler } from 'express';

import { AppError } from '../errors/app-error';
import { decodeText, hasBody, mediaTypeOf, readBody } from './read-body';

/** Parses JSON text whose top level is an object or array (an empty body is `{}`, as body-parser has it). */
function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) throw AppError.malformedBody('The body is not a JSON object');
  try {
    return JSON.parse(trimmed);
  } catch {
    throw AppError.malformedBody('The body is not valid JSON');
  }
}

/** Sets `req.body` to the parsed JSON body, or to undefined when there is none or it is not labelled JSON. */
export function jsonBody(limitBytes: number): RequestHandler {
  return async (req, _res, next) => {
    // Apollo's Express integration refuses to run unless `body` is present on the request, even undefined.
    req.body = undefined;
    // Read whatever the label, so no answer leaves a body unread on the connection.
    const body = await readBody(req, limitBytes);
    const contentType = req.get('content-type');
    if (hasBody(req) && mediaTypeOf(contentType) === 'application/json') {
      req.body = parseJson(decodeText(body, contentType, (charset) => charset.startsWith('utf-')));
    }
    next();
  };
}
