import { Migration } from '@mikro-orm/migrations';

export class Migration20261130100520_privacy_tombstones_audit extends Migration {

  override name = 'Migration20261130100520_privacy_tombstones_audit';

  override up(): void | Promise<void> {
    this.addSql(`create table \`privacy_audit\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`action\` text check (\`action\` in ('erase', 'export', 'lift_tombstone')) not null, \`key_id\` text not null, \`at\` datetime not null, \`subject\` text not null);`);
    this.addSql(`create index \`privacy_audit_organisation_id_environment_at_index\` on \`privacy_audit\` (\`organisation_id\`, \`environment\`, \`at\`);`);

    this.addSql(`create table \`privacy_tombstones\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`kind\` text check (\`kind\` in ('call', 'customer_ref', 'phone', 'external_id')) not null, \`digest\` text not null, \`erased_at\` datetime not null, \`erased_by\` text not null);`);
    this.addSql(`create index \`privacy_tombstones_organisation_id_environment_erased_at_index\` on \`privacy_tombstones\` (\`organisation_id\`, \`environment\`, \`erased_at\`);`);
    this.addSql(`create unique index \`privacy_tombstones_organisation_id_environment_digest_unique\` on \`privacy_tombstones\` (\`organisation_id\`, \`environment\`, \`digest\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`privacy_audit\`;`);
    this.addSql(`drop table if exists \`privacy_tombstones\`;`);
  }

}
