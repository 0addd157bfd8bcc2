/**
 * Relay-style cursor connections: `PageInfo`, a `Connection(Node, 'Name')` factory that makes the
 * `NameConnection` and `NameEdge` types, the `first`/`after` page arguments, and opaque keyset cursors.
 */
import { Max, Min } from 'class-validator';
import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';

import { AppError } from '../errors/app-error';

/** Page size when the client does not ask for one. */
export const DEFAULT_PAGE_SIZE = 20;

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

/** Where a page ends and whether another one follows. */
@ObjectType({ description: 'Where a page of results ends and whether another page follows it.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last edge on this page, to pass as `after` for the next page; null on an empty page.',
  })
  endCursor!: string | null;
}

/** One item of a page and the cursor that points at it. */
export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of items: what a connection field resolves to. */
export interface ConnectionPage<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** The `first` and `after` arguments of every connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return, from 1 to ${MAX_PAGE_SIZE}.`,
  })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Return the items after this cursor (an `endCursor` or edge `cursor` from an earlier page).',
  })
  after?: string | null;
}

// type-graphql keeps its metadata globally, so a second class with the same GraphQL name would clash in the schema.
const connectionTypes = new Map<string, { nodeType: ClassType; connectionType: ClassType }>();

/** The `${name}Connection` object type over `nodeType`; the same class every time it is asked for by name. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string): ClassType<ConnectionPage<T>> {
  const existing = connectionTypes.get(name);
  if (existing) {
    if (existing.nodeType !== nodeType) {
      throw new Error(
        `${name}Connection already pages over ${existing.nodeType.name}; give the ${nodeType.name} connection another name`,
      );
    }
    return existing.connectionType as ClassType<ConnectionPage<T>>;
  }

  @ObjectType(`${name}Edge`, { description: `One ${name} on a page, with the cursor that points at it.` })
  class EdgeType implements Edge<T> {
    @Field(() => String, { description: 'Opaque cursor of this edge; pass it as `after` to continue after it.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name} at this edge.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items, in a stable order.` })
  class ConnectionType implements ConnectionPage<T> {
    @Field(() => [EdgeType], { description: `The ${name} items on this page, each with its cursor.` })
    edges!: Edge<T>[];

    @Field(() => PageInfo, { description: 'Where this page ends and whether another page follows.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: `How many ${name} items there are across all pages.` })
    totalCount!: number;
  }

  connectionTypes.set(name, { nodeType, connectionType: ConnectionType });
  return ConnectionType;
}

/** Makes an opaque cursor from the sort-key values of a row. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Reads back the `arity` sort-key values of a cursor; a malformed cursor is a BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  const values = parseCursor(cursor);
  if (!values || values.length !== arity) {
    throw AppError.validation([{ path: ['after'], message: 'Invalid cursor' }]);
  }
  return values;
}

// Far above any cursor we make (a timestamp and a UUID take about 72 characters), far below a body limit.
const MAX_CURSOR_LENGTH = 256;

function parseCursor(cursor: string): (string | number)[] | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  // Node skips stray bits and characters; only the canonical spelling of the bytes is accepted.
  if (bytes.toString('base64url') !== cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every(isKeyValue)) return undefined;
  return parsed;
}

function isKeyValue(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Shapes `first + 1` fetched rows into a page: the extra row only tells that another page follows. */
export function toConnection<T>(
  rows: T[],
  first: number,
  totalCount: number,
  cursorOf: (row: T) => (string | number)[],
): ConnectionPage<T> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
