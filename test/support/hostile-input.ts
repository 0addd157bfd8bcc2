/**
 * fast-check arbitraries for what a hostile or broken client sends: strings carrying NUL bytes and lone
 * UTF-16 surrogates, crafted pagination cursors, and bodies under content encodings that are or are not
 * what the label says. Shared by the REST and GraphQL property tests.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

import fc from 'fast-check';

/** Code units that databases or UTF-8 encoders refuse or rewrite. */
const POISON = ['\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800', '\u0000\u0000', 'x\ud83d'] as const;

/** Any UTF-16 code unit, lone surrogates included (fast-check's own units never yield those). */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** `clean` with a NUL or a lone surrogate spliced in somewhere, or a string of arbitrary code units. */
export function poisoned(clean: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(clean, fc.constantFrom(...POISON), fc.nat()).map(([text, poison, at]) => splice(text, poison, at)) },
    { weight: 1, arbitrary: fc.string({ unit: anyUnit, minLength: 1, maxLength: 12 }) },
  );
}

function splice(text: string, insert: string, at: number): string {
  const i = text.length === 0 ? 0 : at % (text.length + 1);
  return text.slice(0, i) + insert + text.slice(i);
}

/**
 * Mostly `clean`, sometimes poisoned, sometimes a value of the wrong type. A request has several fields,
 * and only one whose other fields are all clean reaches the database: the odds keep enough of those.
 */
export function field(clean: fc.Arbitrary<string>, junk: fc.Arbitrary<unknown> = fc.constant(undefined)): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 16, arbitrary: clean }, { weight: 2, arbitrary: poisoned(clean) }, { weight: 1, arbitrary: junk });
}

/** Values of the wrong type or shape for a string field. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', ' ', 'null', '{{x}}', '$(call.ani)', '@Call.ANI@', 'x'.repeat(300)),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);

/** Encodes values the way connection cursors are (base64url of a JSON array). */
export function cursorOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value) ?? 'undefined', 'utf8').toString('base64url');
}

const uuid = fc.uuid();
const timestamps = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 8.64e15, -8.64e15, 8.64e15 + 1, 253402300800000, 1e21, Number.MAX_SAFE_INTEGER, 1e308),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.date({ noInvalidDate: true }).map((d) => d.getTime()),
);

/** Cursors a client can forge: right shape with wrong values, wrong shapes, not base64url at all, real ones. */
export function craftedCursor(real: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    real,
    fc.tuple(timestamps, fc.oneof(uuid, fc.constantFrom('id', '', 'x'.repeat(300), 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ'), poisoned(uuid))).map(cursorOf),
    fc.tuple(fc.oneof(uuid, fc.string({ maxLength: 8 })), timestamps).map(cursorOf),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.oneof(timestamps, uuid), { maxLength: 4 })).map(cursorOf),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    fc.constantFrom(cursorOf([0, 'id']), cursorOf([8.64e15, '00000000-0000-0000-0000-000000000000']), 'WzAsImlkIl0=', '!!!', 'W10', '\u0000', '\ud800'),
    poisoned(fc.constantFrom(cursorOf([0, '00000000-0000-4000-8000-000000000000']))),
  );
}

/** How a body travels: its Content-Encoding label and whether the bytes really are encoded so. */
export interface BodyEncoding {
  label: string | undefined;
  mode: 'compressed' | 'plain' | 'truncated';
}

const CODECS: Partial<Record<string, (body: Buffer) => Buffer>> = {
  gzip: gzipSync,
  'x-gzip': gzipSync,
  GZIP: gzipSync,
  deflate: deflateSync,
  br: brotliCompressSync,
};

/** Content-Encoding labels a client sends, compressed as labelled or not. */
export const bodyEncoding: fc.Arbitrary<BodyEncoding> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<BodyEncoding>({ label: undefined, mode: 'plain' }) },
  {
    weight: 2,
    arbitrary: fc.record({
      label: fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip', 'GZIP', 'identity', 'gzip, deflate', 'compress', 'zstd', '', 'bogus'),
      mode: fc.constantFrom('compressed', 'plain', 'truncated'),
    }) as fc.Arbitrary<BodyEncoding>,
  },
);

/** The bytes and headers for a body under an encoding. */
export function encodeBody(text: string, encoding: BodyEncoding): { body: Buffer; headers: Record<string, string> } {
  const plain = Buffer.from(text, 'utf8');
  if (encoding.label === undefined) return { body: plain, headers: {} };
  const codec = CODECS[encoding.label];
  const compressed = codec && encoding.mode !== 'plain' ? codec(plain) : plain;
  const body = encoding.mode === 'truncated' ? compressed.subarray(0, Math.floor(compressed.length / 2)) : compressed;
  return { body, headers: { 'content-encoding': encoding.label } };
}
