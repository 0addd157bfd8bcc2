/**
 * Gives every request an id: the caller's `X-Request-Id` when it is sane, else a new UUID; echoed back as it
 * came. What the service itself says of the request (logs, the request log, spans, an internal error's
 * message) uses `res.locals.requestId`, where a phone number in a caller's id (an IVR building ids from
 * the caller's number) is masked like every other logged identifier (logging/phone-in-text.ts).
 */
import { randomUUID } from 'node:crypto';

import type { RequestHandler } from 'express';

import { maskPhoneNumbersIn } from '../logging/phone-in-text';
import { RequestLocals } from './request-locals';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const sent = incoming && SAFE_ID.test(incoming) ? incoming : undefined;
  const id = sent ?? randomUUID();
  // The first middleware: each request's locals get their fields' hidden class here (request-locals.ts).
  res.locals = new RequestLocals(sent === undefined ? id : maskPhoneNumbersIn(sent));
  res.setHeader('X-Request-Id', id);
  next();
};
