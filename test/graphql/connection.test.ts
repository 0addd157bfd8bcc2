/** Cursor connections: cursors, page requests, page boundaries both ways, and the types and arguments type-graphql builds from them. */
import { type GraphQLObjectType, type GraphQLSchema, graphql } from 'graphql';
import { Args, ArgumentValidationError, buildSchema, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';

import type { Page } from '../../src/customers/customer-filter';
import { AppError } from '../../src/errors/app-error';
import { ErrorCode } from '../../src/errors/error-code';
import { Connection, toConnection } from '../../src/graphql/connection';
import { decodeCursor, encodeCursor } from '../../src/graphql/cursor';
import { FIRST_AND_LAST, PageArgs, pageRequest } from '../../src/graphql/page-args';

@ObjectType({ description: 'A throwaway node for connection tests.' })
class Thing {
  @Field(() => Int, { description: 'Sort key.' })
  id!: number;

  @Field(() => String, { description: 'Label.' })
  name!: string;
}

const ThingConnection = Connection(Thing, 'Thing');
type ThingConnection = InstanceType<typeof ThingConnection>;

const THINGS: Thing[] = [1, 2, 3, 4, 5].map((id) => ({ id, name: `thing ${id}` }));

@Resolver()
class ThingResolver {
  /** Things in id order, paged as the keyset lists page (keyset.ts), over an array. */
  @Query(() => ThingConnection, { description: 'Things in id order.' })
  things(@Args() args: PageArgs): ThingConnection {
    const page = pageRequest(args);
    const after = page.after ? Number(decodeCursor(page.after, 1, 'after')[0]) : undefined;
    const before = page.before ? Number(decodeCursor(page.before, 1, 'before')[0]) : undefined;
    const range = THINGS.filter((t) => (after === undefined || t.id > after) && (before === undefined || t.id < before));
    const rows = (page.backward ? [...range].reverse() : range).slice(0, page.size + 1);
    const start = page.backward ? before : after;
    const behindCursor = start !== undefined && THINGS.some((t) => (page.backward ? t.id >= start : t.id <= start));
    return toConnection({ rows, totalCount: THINGS.length, behindCursor }, page, (t) => [t.id]);
  }
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function rejection(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('cursors', () => {
  it('round-trip strings and numbers', () => {
    const values = ['2024-05-01T10:00:00.000Z', 42, 'ünïcødé', -1.5];
    const cursor = encodeCursor(values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 4)).toEqual(values);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%^'],
    ['standard base64 padding', `${b64('[1,2]')}=`],
    // `WzEsMl0` is [1,2]; a last character with stray low bits decodes to the same bytes
    ['non-canonical base64', 'WzEsMl1'],
    ['not UTF-8', Buffer.from('["\xff",1]', 'latin1').toString('base64url')],
    ['not JSON', b64('[1,')],
    ['not an array', b64('{"id":1}')],
    ['a bare string', b64('"1"')],
    ['too few values', encodeCursor([1])],
    ['too many values', encodeCursor([1, 'a', 2])],
    ['a null element', b64('[1,null]')],
    ['an object element', b64('[1,{"a":1}]')],
    ['a boolean element', b64('[1,true]')],
    ['an overflowing number', b64('[1,1e999]')],
  ])('reject %s', (_case, cursor) => {
    const error = rejection(() => decodeCursor(cursor, 2));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: ErrorCode.BadUserInput,
      issues: [{ path: ['after'], message: 'Invalid cursor' }],
    });
  });

  it('name `before` in the error for a cursor that came as `before`', () => {
    expect(rejection(() => decodeCursor('nope!', 2, 'before'))).toMatchObject({ issues: [{ path: ['before'], message: 'Invalid cursor' }] });
  });
});

describe('pageRequest', () => {
  it('asks for the first 20 when given no size', () => {
    expect(pageRequest({})).toEqual({ size: 20, backward: false, after: null, before: null });
    expect(pageRequest({ first: null, last: null, after: 'a' })).toEqual({ size: 20, backward: false, after: 'a', before: null });
  });

  it('pages forward with `first` and backward with `last`, `0` included', () => {
    expect(pageRequest({ first: 0, after: 'a' })).toEqual({ size: 0, backward: false, after: 'a', before: null });
    expect(pageRequest({ last: 3, before: 'b' })).toEqual({ size: 3, backward: true, after: null, before: 'b' });
    expect(pageRequest({ last: 0 })).toEqual({ size: 0, backward: true, after: null, before: null });
  });

  it('takes a lone `before` as the 20 items right before it, and `before` with `after` or `first` as a forward page', () => {
    expect(pageRequest({ before: 'b' })).toEqual({ size: 20, backward: true, after: null, before: 'b' });
    expect(pageRequest({ before: 'b', after: 'a' })).toEqual({ size: 20, backward: false, after: 'a', before: 'b' });
    expect(pageRequest({ before: 'b', first: 2 })).toEqual({ size: 2, backward: false, after: null, before: 'b' });
  });
});

describe('toConnection', () => {
  const cursorOf = (n: number) => [n];
  const forward = (size: number): Page => ({ size, backward: false });
  const backward = (size: number): Page => ({ size, backward: true });

  it('makes an empty page', () => {
    expect(toConnection({ rows: [], totalCount: 0, behindCursor: false }, forward(3), cursorOf)).toEqual({
      edges: [],
      pageInfo: { hasPreviousPage: false, hasNextPage: false, startCursor: null, endCursor: null },
      totalCount: 0,
    });
  });

  it('has no next page when exactly `first` rows came back', () => {
    const page = toConnection({ rows: [1, 2, 3], totalCount: 3, behindCursor: false }, forward(3), cursorOf);
    expect(page.edges).toEqual([1, 2, 3].map((n) => ({ cursor: encodeCursor([n]), node: n })));
    expect(page.pageInfo).toEqual({ hasPreviousPage: false, hasNextPage: false, startCursor: encodeCursor([1]), endCursor: encodeCursor([3]) });
  });

  it('drops the extra row and reports a next page when `first + 1` rows came back', () => {
    const page = toConnection({ rows: [1, 2, 3, 4], totalCount: 9, behindCursor: true }, forward(3), cursorOf);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2, 3]);
    expect(page.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: true, startCursor: encodeCursor([1]), endCursor: encodeCursor([3]) });
    expect(page.totalCount).toBe(9);
  });

  it('puts a backward page back in list order, the extra row telling of a previous page', () => {
    const page = toConnection({ rows: [9, 8, 7], totalCount: 9, behindCursor: false }, backward(2), cursorOf);
    expect(page.edges.map((e) => e.node)).toEqual([8, 9]);
    expect(page.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: false, startCursor: encodeCursor([8]), endCursor: encodeCursor([9]) });
  });

  it('reports rows behind a backward page’s cursor as a next page', () => {
    const page = toConnection({ rows: [4, 3], totalCount: 9, behindCursor: true }, backward(2), cursorOf);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('answers a page of 0 with no edges and whether anything lies ahead', () => {
    expect(toConnection({ rows: [1], totalCount: 5, behindCursor: false }, forward(0), cursorOf)).toEqual({
      edges: [],
      pageInfo: { hasPreviousPage: false, hasNextPage: true, startCursor: null, endCursor: null },
      totalCount: 5,
    });
  });
});

describe('Connection', () => {
  it('returns the same class for the same name, and refuses the name for another node type', () => {
    expect(Connection(Thing, 'Thing')).toBe(ThingConnection);
    class Other {}
    expect(() => Connection(Other, 'Thing')).toThrow('ThingConnection already pages over Thing');
  });
});

describe('a connection in a schema', () => {
  let schema: GraphQLSchema;
  const QUERY = `query ($first: Int, $after: String, $last: Int, $before: String) {
    things(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id } }
      pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
      totalCount
    }
  }`;
  const run = (variableValues: Record<string, unknown>) => graphql({ schema, source: QUERY, variableValues });
  const ids = (result: Awaited<ReturnType<typeof run>>) => (result.data?.things as { edges: { node: { id: number } }[] }).edges.map((e) => e.node.id);
  const pageInfo = (result: Awaited<ReturnType<typeof run>>) => (result.data?.things as { pageInfo: object }).pageInfo;
  const c = (id: number) => encodeCursor([id]);

  beforeAll(async () => {
    schema = await buildSchema({ resolvers: [ThingResolver], validate: true, emitSchemaFile: false });
  });

  it('describes every type, field and argument', () => {
    for (const name of ['ThingConnection', 'ThingEdge', 'PageInfo']) {
      const type = schema.getType(name) as GraphQLObjectType;
      expect(type.description).toBeTruthy();
      for (const field of Object.values(type.getFields())) expect(field.description).toBeTruthy();
    }
    const args = schema.getQueryType()!.getFields().things.args;
    expect(args.map((a) => [a.name, String(a.type), a.defaultValue, Boolean(a.description)])).toEqual([
      ['first', 'Int', undefined, true],
      ['after', 'String', undefined, true],
      ['last', 'Int', undefined, true],
      ['before', 'String', undefined, true],
    ]);
    expect(Object.keys((schema.getType('PageInfo') as GraphQLObjectType).getFields()).sort()).toEqual(['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor']);
  });

  it('pages forward with edges, pageInfo and totalCount', async () => {
    expect(await run({ first: 2 })).toEqual({
      data: {
        things: {
          edges: [
            { cursor: c(1), node: { id: 1 } },
            { cursor: c(2), node: { id: 2 } },
          ],
          pageInfo: { hasPreviousPage: false, hasNextPage: true, startCursor: c(1), endCursor: c(2) },
          totalCount: 5,
        },
      },
    });
    const rest = await run({ first: 3, after: c(2) });
    expect(ids(rest)).toEqual([3, 4, 5]);
    expect(pageInfo(rest)).toEqual({ hasPreviousPage: true, hasNextPage: false, startCursor: c(3), endCursor: c(5) });
  });

  it('pages backward from the end and from a cursor, each page in list order', async () => {
    const end = await run({ last: 2 });
    expect(ids(end)).toEqual([4, 5]);
    expect(pageInfo(end)).toEqual({ hasPreviousPage: true, hasNextPage: false, startCursor: c(4), endCursor: c(5) });
    const before = await run({ last: 2, before: c(4) });
    expect(ids(before)).toEqual([2, 3]);
    expect(pageInfo(before)).toEqual({ hasPreviousPage: true, hasNextPage: true, startCursor: c(2), endCursor: c(3) });
    const start = await run({ last: 5, before: c(2) });
    expect(ids(start)).toEqual([1]);
    expect(pageInfo(start)).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('answers first: 0 and last: 0 with an empty page, its pageInfo and totalCount', async () => {
    expect((await run({ first: 0 })).data?.things).toEqual({
      edges: [],
      pageInfo: { hasPreviousPage: false, hasNextPage: true, startCursor: null, endCursor: null },
      totalCount: 5,
    });
    expect(pageInfo(await run({ last: 0 }))).toEqual({ hasPreviousPage: true, hasNextPage: false, startCursor: null, endCursor: null });
    expect(pageInfo(await run({ first: 0, after: c(5) }))).toEqual({ hasPreviousPage: true, hasNextPage: false, startCursor: null, endCursor: null });
  });

  it('defaults to the first 20', async () => {
    expect(ids(await run({}))).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([
    [{ first: -1 }, 'first must not be less than 0'],
    [{ first: 101 }, 'first must not be greater than 100'],
    [{ last: -1 }, 'last must not be less than 0'],
    [{ last: 101 }, 'last must not be greater than 100'],
    [{ first: 1, last: 1 }, FIRST_AND_LAST],
  ])('rejects %j', async (variables, message) => {
    const result = await run(variables);
    expect(result.data).toBeNull();
    const error = result.errors?.[0].originalError;
    expect(error).toBeInstanceOf(ArgumentValidationError);
    expect((error as ArgumentValidationError).extensions.validationErrors.flatMap((e) => Object.values(e.constraints ?? {}))).toEqual([message]);
  });

  it('rejects a malformed cursor as bad input', async () => {
    expect((await run({ after: 'nope!' })).errors?.[0].originalError).toMatchObject({ code: ErrorCode.BadUserInput, issues: [{ path: ['after'] }] });
    expect((await run({ last: 1, before: 'nope!' })).errors?.[0].originalError).toMatchObject({ code: ErrorCode.BadUserInput, issues: [{ path: ['before'] }] });
  });
});
