/**
 * The real relay-compiler accepts the schema (issue 11): a small Relay app (test/relay/fixture: root and
 * nested connections with `@connection`, forward, backward and both ways, `@refetchable` fragments on
 * `Customer` and on `Query`, a `node` query) compiles against schema/schema.graphql. As a control, the
 * same fixture fails against the schema with what Relay needs taken out again (the schema before
 * issue 11 lacked them): the test can tell a Relay-ready schema from one that is not.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Kind, parse, print, visit } from 'graphql';

import { SCHEMA_FILE } from '../../src/graphql/schema-file';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixture');
const COMPILER = join(ROOT, 'node_modules', 'relay-compiler', 'cli.js');

const ARTIFACTS = [
  'CallerScreenQuery.graphql.ts',
  'CustomerCallsPaginationQuery.graphql.ts',
  'CustomerCalls_customer.graphql.ts',
  'CustomerCardRefetchQuery.graphql.ts',
  'CustomerCard_customer.graphql.ts',
  'CustomerHistoryPaginationQuery.graphql.ts',
  'CustomerHistory_customer.graphql.ts',
  'CustomerListPaginationQuery.graphql.ts',
  'CustomerList_query.graphql.ts',
  'IntentBoardPaginationQuery.graphql.ts',
  'IntentBoard_query.graphql.ts',
];

/** Copies the fixture into a new directory, pointing its config at `schemaSdl`, and runs the compiler there. */
function compile(schemaSdl: string): { status: number | null; output: string; generated: string } {
  const dir = mkdtempSync(join(tmpdir(), 'relay-fixture-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(join(dir, 'schema.graphql'), schemaSdl);
    const config = JSON.parse(readFileSync(join(dir, 'relay.config.json'), 'utf8'));
    writeFileSync(join(dir, 'relay.config.json'), JSON.stringify({ ...config, schema: './schema.graphql' }));
    const run = spawnSync(process.execPath, [COMPILER], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const generated = join(dir, 'src', '__generated__');
    const files = run.status === 0 ? readdirSync(generated).sort() : [];
    const contents = Object.fromEntries(files.map((file) => [file, readFileSync(join(generated, file), 'utf8')]));
    return { status: run.status, output: `${run.stdout}${run.stderr}`, generated: JSON.stringify(contents) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The schema without `node`/`nodes`, `PageInfo.hasPreviousPage`/`startCursor` and the backward page arguments. */
function withoutRelaySupport(sdl: string): string {
  const gone = new Set(['Query.node', 'Query.nodes', 'PageInfo.hasPreviousPage', 'PageInfo.startCursor']);
  let parent = '';
  return print(
    visit(parse(sdl), {
      ObjectTypeDefinition: { enter: (node) => void (parent = node.name.value) },
      FieldDefinition: (node) => (gone.has(`${parent}.${node.name.value}`) ? null : undefined),
      InputValueDefinition: (node, _key, ancestor) =>
        (node.name.value === 'last' || node.name.value === 'before') && (ancestor as { kind?: string } | undefined)?.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION
          ? null
          : undefined,
    }),
  );
}

describe('relay-compiler over the Relay fixture', () => {
  const schema = readFileSync(SCHEMA_FILE, 'utf8');

  it('compiles against schema/schema.graphql and writes every artifact', () => {
    const { status, output, generated } = compile(schema);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('Compilation completed') });
    const files = JSON.parse(generated) as Record<string, string>;
    expect(Object.keys(files)).toEqual(ARTIFACTS);
    // Refetchable fragments on Customer refetch through node(id:); each connection pages the way it was written.
    expect(files['CustomerCardRefetchQuery.graphql.ts']).toContain('node(id: $id)');
    expect(files['CustomerCalls_customer.graphql.ts']).toMatch(/"direction": "forward"/);
    expect(files['CustomerHistory_customer.graphql.ts']).toMatch(/"direction": "backward"/);
    expect(files['IntentBoard_query.graphql.ts']).toMatch(/"direction": "bidirectional"/);
  });

  it('fails on the same fixture once the schema lacks node(id:), PageInfo’s start and backward paging', () => {
    const { status, output } = compile(withoutRelaySupport(schema));
    expect(status).not.toBe(0);
    expect(output).toContain('Compilation failed');
  });
});
