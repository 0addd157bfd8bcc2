/**
 * Relay-style cursor connections (the Relay Cursor Connections spec): `PageInfo`, a
 * `Connection(Node, 'Name')` factory that makes the `NameConnection` and `NameEdge` types, and the page
 * a list query answers. The page arguments are in page-args.ts, the cursors in cursor.ts and keyset.ts.
 */
import { type ClassType, Field, Int, ObjectType } from 'type-graphql';

import type { ListResult, Page } from '../customers/customer-filter';
import { encodeCursor } from './cursor';

/** Where a page starts and ends and whether other pages lie either side of it. */
@ObjectType({ description: 'Where a page of results starts and ends, and whether more results lie before or after it.' })
export class PageInfo {
  @Field(() => Boolean, {
    description:
      'Whether items precede this page. Exact when paging backward (`last`); paging forward, true when items lie at or before the `after` cursor.',
  })
  hasPreviousPage!: boolean;

  @Field(() => Boolean, {
    description:
      'Whether items follow this page. Exact when paging forward (`first`); paging backward, true when items lie at or after the `before` cursor.',
  })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first edge on this page, to pass as `before` for the page before; null on an empty page.',
  })
  startCursor!: string | null;

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
    @Field(() => String, {
      description: 'Opaque cursor of this edge: pass it as `after` to continue after it, or as `before` to page back from it.',
    })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name} at this edge.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items, in a stable order.` })
  class ConnectionType implements ConnectionPage<T> {
    @Field(() => [EdgeType], { description: `The ${name} items on this page, in list order, each with its cursor.` })
    edges!: Edge<T>[];

    @Field(() => PageInfo, { description: 'Where this page starts and ends, and whether more items lie either side of it.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: `How many ${name} items there are across all pages.` })
    totalCount!: number;
  }

  connectionTypes.set(name, { nodeType, connectionType: ConnectionType });
  return ConnectionType;
}

/**
 * Shapes the rows a list query fetched for `page` (in fetch order, up to size + 1) into a connection: the
 * extra row only tells that more items lie in the paging direction; a backward page is put back in list
 * order. On the other side, items lie behind the cursor the page started from (`behindCursor`).
 */
export function toConnection<T>(
  { rows, totalCount, behindCursor }: ListResult<T>,
  page: Page,
  cursorOf: (row: T) => (string | number)[],
): ConnectionPage<T> {
  const taken = rows.slice(0, page.size);
  if (page.backward) taken.reverse();
  const edges = taken.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  const more = rows.length > page.size;
  return {
    edges,
    pageInfo: {
      hasPreviousPage: page.backward ? more : behindCursor,
      hasNextPage: page.backward ? behindCursor : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
