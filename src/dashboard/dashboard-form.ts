/**
 * The dashboard's POST bodies: HTML forms, `application/x-www-form-urlencoded` in UTF-8, read through the
 * service's bounded reader (BODY_LIMIT_BYTES). Flat fields only; a field we read that comes twice is refused
 * rather than guessed at.
 */
import type { Request } from 'express';

import { AppError } from '../errors/app-error';
import { decodeText, mediaTypeOf, readBody } from '../http/read-body';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Reads the form and returns the named fields ('' when absent). */
export async function readForm<F extends string>(req: Request, limitBytes: number, fields: readonly F[]): Promise<Record<F, string>> {
  const contentType = req.get('content-type');
  if (mediaTypeOf(contentType) !== FORM_TYPE) {
    throw AppError.unsupportedMediaType(`Send this form as ${FORM_TYPE}, as the page's own form does`);
  }
  const text = decodeText(await readBody(req, limitBytes), contentType, (charset) => charset === 'utf-8' || charset === 'utf8');
  const params = new URLSearchParams(text);
  const values = {} as Record<F, string>;
  for (const field of fields) {
    const all = params.getAll(field);
    if (all.length > 1) throw AppError.validation([{ path: [field], message: `The field “${field}” was sent more than once` }]);
    values[field] = all[0] ?? '';
  }
  return values;
}
