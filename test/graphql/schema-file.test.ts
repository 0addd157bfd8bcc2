import { readFileSync } from 'node:fs';

import { buildGraphQLSchema } from '../../src/graphql/schema';
import { printSchemaFile, SCHEMA_FILE } from '../../src/graphql/schema-file';

describe('schema/schema.graphql', () => {
  it('is current (run `npm run schema:emit` after changing the GraphQL types)', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(printSchemaFile(await buildGraphQLSchema()));
  });

  it('describes every type and field', async () => {
    const schema = await buildGraphQLSchema();
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'ID', 'Int', 'Float'].includes(type.name)) continue;
      const root = ['Query', 'Mutation', 'Subscription'].includes(type.name);
      if (!type.description && !root) undocumented.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
