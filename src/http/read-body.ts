/**
 * Request bodies, read here rather than by body-parser: body-parser reads a refused body to its end before
 * it answers, so a declared 100 MB body or a chunked one that never ends held the connection (and got no
 * answer) for as long as the client liked. Here the refusal comes at once: a declared Content-Length over
 * the limit before a byte is read, a received length the moment it passes the limit. The limit holds for
 * the bytes on the wire and for the decoded bytes, so a gzip bomb gets 413 after at most the limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

import { AppError } from '../errors/app-error';

/** The Content-Encodings a body may arrive in (`x-gzip` is gzip's old name, RFC 9110 §8.4.1.3). */
const DECODERS = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['x-gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);

/** True when the request carries a body (possibly empty), as body-parser's `type-is` judges it. */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

/**
 * Asks Node to close the connection after this answer when the request's body was not read to its end:
 * otherwise Node reads and discards whatever the client still sends (100 MB, or forever) before the
 * connection can carry the next request.
 */
export function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  const empty = req.headers['content-length'] === '0';
  if (hasBody(req) && !empty && !req.complete && !res.headersSent) res.setHeader('Connection', 'close');
}

/** The decoder for a Content-Encoding header: undefined for none; 415 for any other coding. */
function decoderFor(header: string | undefined): { name: string; create: () => Transform } | undefined {
  const name = (header ?? '').trim().toLowerCase();
  if (name === '' || name === 'identity') return undefined;
  const create = DECODERS.get(name);
  if (!create) {
    throw AppError.unsupportedMediaType(
      `Content-Encoding "${(header ?? '').trim().slice(0, 64)}" is not supported: send the body uncompressed, or as gzip, deflate or br`,
    );
  }
  return { name, create };
}

/** Reads the whole body, decoded from its Content-Encoding; refuses (413) as soon as it passes `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (!hasBody(req)) return Promise.resolve(Buffer.alloc(0));
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) return Promise.reject(AppError.payloadTooLarge(limitBytes));
  let decoding: ReturnType<typeof decoderFor>;
  try {
    decoding = decoderFor(req.headers['content-encoding']);
  } catch (error) {
    return Promise.reject(error as Error);
  }

  return new Promise<Buffer>((resolve, reject) => {
    const decoder = decoding?.create();
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;

    const settle = (error: AppError | undefined) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onAborted).off('close', onClose);
      if (error) {
        decoder?.destroy();
        // Keep discarding what the client still sends while the refusal goes out; a connection left
        // with unread bytes is reset on close, and a reset can destroy the answer before the client reads it.
        req.resume();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, bodyBytes));
      }
    };
    const collect = (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (bodyBytes > limitBytes) settle(AppError.payloadTooLarge(limitBytes));
      else chunks.push(chunk);
    };
    const onData = (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > limitBytes) settle(AppError.payloadTooLarge(limitBytes));
      else if (decoder) decoder.write(chunk);
      else collect(chunk);
    };
    const onEnd = () => {
      if (decoder) decoder.end();
      else settle(undefined);
    };
    const onAborted = () => settle(AppError.malformedBody('The body could not be read: the client went away'));
    const onClose = () => {
      if (!req.complete) onAborted();
    };

    if (decoder) {
      decoder.on('data', (chunk: Buffer) => {
        if (!settled) collect(chunk);
      });
      decoder.on('error', () => settle(AppError.undecodableBody(decoding!.name)));
      decoder.on('end', () => settle(undefined));
    }
    req.on('data', onData).on('end', onEnd).on('error', onAborted).on('close', onClose);
  });
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Decodes body bytes as text in the Content-Type's charset (UTF-8 unless it says otherwise); 415 for an unknown charset. */
export function decodeText(body: Buffer, contentType: string | undefined, allowed: (charset: string) => boolean = () => true): string {
  const charset = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  const label = (charset?.[1] ?? charset?.[2] ?? 'utf-8').trim().toLowerCase();
  let decoder: TextDecoder | undefined;
  try {
    decoder = allowed(label) ? new TextDecoder(label) : undefined;
  } catch {
    decoder = undefined;
  }
  if (!decoder) throw AppError.unsupportedMediaType(`Charset "${label.slice(0, 40)}" is not supported: send UTF-8`);
  return decoder.decode(body);
}
