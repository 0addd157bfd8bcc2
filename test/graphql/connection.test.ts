/** Cursor connections: keyset cursors, page boundaries, and the types and arguments type-graphql builds from them. */
import { type GraphQLObjectType, type GraphQLSchema, graphql } from 'graphql';
import { Args, ArgumentValidationError, buildSchema, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';

import { AppError } from '../../src/errors/app-error';
import { ErrorCode } from '../../src/errors/error-code';
import {
  Connection,
  decodeCursor,
  encodeCursor,
  PageArgs,
  toConnection,
} from '../../src/graphql/connection';

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
  @Query(() => ThingConnection, { description: 'Things in id order.' })
  things(@Args() { first, after }: PageArgs): ThingConnection {
    const afterId = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = THINGS.filter((t) => t.id > afterId).slice(0, first + 1);
    return toConnection(rows, first, THINGS.length, (t) => [t.id]);
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
});

describe('toConnection', () => {
  const cursorOf = (n: number) => [n];

  it('makes an empty page', () => {
    expect(toConnection([], 3, 0, cursorOf)).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: 0,
    });
  });

  it('has no next page when exactly `first` rows came back', () => {
    const page = toConnection([1, 2, 3], 3, 3, cursorOf);
    expect(page.edges).toEqual([1, 2, 3].map((n) => ({ cursor: encodeCursor([n]), node: n })));
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor([3]) });
  });

  it('drops the extra row and reports a next page when `first + 1` rows came back', () => {
    const page = toConnection([1, 2, 3, 4], 3, 9, cursorOf);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2, 3]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([3]) });
    expect(page.totalCount).toBe(9);
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
  const QUERY = `query ($first: Int, $after: String) {
    things(first: $first, after: $after) {
      edges { cursor node { id name } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;
  const run = (variableValues: Record<string, unknown>) => graphql({ schema, source: QUERY, variableValues });

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
      ['first', 'Int!', 20, true],
      ['after', 'String', undefined, true],
    ]);
  });

  it('pages through the nodes with edges, pageInfo and totalCount', async () => {
    const first = await run({ first: 2 });
    expect(first).toEqual({
      data: {
        things: {
          edges: [
            { cursor: encodeCursor([1]), node: { id: 1, name: 'thing 1' } },
            { cursor: encodeCursor([2]), node: { id: 2, name: 'thing 2' } },
          ],
          pageInfo: { hasNextPage: true, endCursor: encodeCursor([2]) },
          totalCount: 5,
        },
      },
    });
    const last = await run({ first: 3, after: encodeCursor([2]) });
    expect(last.data?.things).toMatchObject({
      edges: [3, 4, 5].map((id) => ({ node: { id } })),
      pageInfo: { hasNextPage: false, endCursor: encodeCursor([5]) },
    });
  });

  it('defaults `first` to 20', async () => {
    const result = await run({});
    expect((result.data?.things as { edges: unknown[] }).edges).toHaveLength(5);
  });

  it.each([0, 101])('rejects first: %i', async (first) => {
    const result = await run({ first });
    expect(result.data).toBeNull();
    expect(result.errors?.[0].originalError).toBeInstanceOf(ArgumentValidationError);
  });

  it('rejects a malformed cursor as bad input', async () => {
    const result = await run({ after: 'nope!' });
    expect(result.errors?.[0].originalError).toMatchObject({ code: ErrorCode.BadUserInput });
  });
});
