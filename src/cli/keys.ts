/**
 * `npm run keys -- <command>`: manage organisations and API keys on the configured database.
 *   create-org --slug acme --name "Acme Support"
 *   create --org acme --env test|prod [--name "Five9 IVR"] [--admin]   prints the key once
 *   set-time-zone --org acme --time-zone Europe/London        what "a day" is on the dashboard
 *   list [--org acme]                                          never prints secrets
 *   revoke <key-id>
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';

import type { EntityManager } from '@mikro-orm/core';

import { AppError } from '../errors/app-error';
import { ApiKeyRole } from '../tenancy/api-key-role';
import { ApiKeyService } from '../tenancy/api-key.service';
import { Environment } from '../tenancy/environment';
import { Organisation } from '../tenancy/organisation.entity';
import { runCli } from './run-cli';

const USAGE = `Usage: npm run keys -- <command>
  create-org --slug <slug> --name <name>
  create --org <slug> --env <test|prod> [--name <label>] [--admin]
  set-time-zone --org <slug> --time-zone <IANA zone, e.g. Europe/London>
  list [--org <slug>]
  revoke <key-id>`;

type Output = (line: string) => void;

function required(value: string | undefined, flag: string): string {
  if (!value) throw AppError.validation([{ path: [flag], message: `--${flag} is required` }]);
  return value;
}

function environment(value: string | undefined): Environment {
  if (value === 'test') return Environment.TEST;
  if (value === 'prod') return Environment.PROD;
  throw AppError.validation([{ path: ['env'], message: '--env must be test or prod' }]);
}

/** Runs one command against the database; returns the process exit code. */
export async function runKeysCommand(em: EntityManager, keys: ApiKeyService, argv: string[], out: Output): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      env: { type: 'string' },
      admin: { type: 'boolean' },
      'time-zone': { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  switch (command) {
    case 'create-org': {
      const org = await keys.createOrganisation(em, required(values.slug, 'slug'), required(values.name, 'name'));
      out(`created organisation ${org.slug} (${org.id})`);
      return 0;
    }
    case 'create': {
      const org = await keys.organisation(em, required(values.org, 'org'));
      const role = values.admin ? ApiKeyRole.ADMIN : ApiKeyRole.STANDARD;
      const { apiKey, secret } = await keys.createKey(em, org, environment(values.env), values.name ?? 'API key', role);
      out(`created ${role} key ${apiKey.id} for ${org.slug} (${apiKey.environment}). Store it now; it is not shown again:`);
      out(secret);
      return 0;
    }
    case 'list': {
      const orgs = values.org ? [await keys.organisation(em, values.org)] : await em.find(Organisation, {}, { orderBy: { slug: 'asc' } });
      out(['id', 'organisation', 'env', 'role', 'prefix', 'name', 'created', 'revoked'].join('\t'));
      for (const org of orgs) {
        for (const k of await keys.listKeys(em, org)) {
          const row = [k.id, org.slug, k.environment, k.role, `${k.prefix}…`, k.name, k.createdAt.toISOString(), k.revokedAt?.toISOString() ?? '-'];
          out(row.join('\t'));
        }
      }
      return 0;
    }
    case 'set-time-zone': {
      const org = await keys.setTimeZone(em, required(values.org, 'org'), required(values['time-zone'], 'time-zone'));
      out(`organisation ${org.slug} now counts days in ${org.timeZone}`);
      return 0;
    }
    case 'revoke': {
      const key = await keys.revokeKey(em, required(rest[0], 'key-id'));
      out(`revoked key ${key.id} at ${key.revokedAt?.toISOString()}`);
      return 0;
    }
    default:
      out(USAGE);
      return 64; // EX_USAGE
  }
}

if (require.main === module) runCli('caller-memory keys', runKeysCommand);
