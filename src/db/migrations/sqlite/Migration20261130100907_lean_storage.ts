import { Migration } from '@mikro-orm/migrations';

export class Migration20261130100907_lean_storage extends Migration {

  override name = 'Migration20261130100907_lean_storage';

  override up(): void | Promise<void> {
    // Request fingerprints are now the first 128 bits of the digest (identity-hints.ts): cut the stored
    // ones the same way, so a retry of a call recorded before this migration still replays.
    this.addSql(`update \`calls\` set \`start_fingerprint\` = substr(\`start_fingerprint\`, 1, 32), \`end_fingerprint\` = substr(\`end_fingerprint\`, 1, 32) where length(\`start_fingerprint\`) > 32 or length(\`end_fingerprint\`) > 32;`);

    this.addSql(`create index \`calls_replay_snapshots_index\` on \`calls\` (\`started_at\`) where start_snapshot is not null;`);

    this.addSql(`drop index \`intents_organisation_id_environment_customer_id_name_unique\`;`);
    this.addSql(`drop index \`intents_customer_id_index\`;`);
    this.addSql(`create unique index \`intents_customer_id_name_unique\` on \`intents\` (\`customer_id\`, \`name\`);`);

    this.addSql(`drop index \`variables_organisation_id_environment_customer_id_name_unique\`;`);
    this.addSql(`drop index \`variables_customer_id_index\`;`);
    this.addSql(`create unique index \`variables_customer_id_name_unique\` on \`variables\` (\`customer_id\`, \`name\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`calls_replay_snapshots_index\`;`);

    this.addSql(`drop index \`intents_customer_id_name_unique\`;`);
    this.addSql(`create unique index \`intents_organisation_id_environment_customer_id_name_unique\` on \`intents\` (\`organisation_id\`, \`environment\`, \`customer_id\`, \`name\`);`);
    this.addSql(`create index \`intents_customer_id_index\` on \`intents\` (\`customer_id\`);`);

    this.addSql(`drop index \`variables_customer_id_name_unique\`;`);
    this.addSql(`create unique index \`variables_organisation_id_environment_customer_id_name_unique\` on \`variables\` (\`organisation_id\`, \`environment\`, \`customer_id\`, \`name\`);`);
    this.addSql(`create index \`variables_customer_id_index\` on \`variables\` (\`customer_id\`);`);
  }

}
