/** `npm run schema:emit`: writes the GraphQL SDL to schema/schema.graphql (a test checks it is current). */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { printSchemaFile, SCHEMA_FILE } from '../src/graphql/schema-file';
import { buildGraphQLSchema } from '../src/graphql/schema';

buildGraphQLSchema()
  .then((schema) => {
    mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
    writeFileSync(SCHEMA_FILE, printSchemaFile(schema));
    console.log(`wrote ${SCHEMA_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
