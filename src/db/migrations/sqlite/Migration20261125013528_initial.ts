import { Migration } from '@mikro-orm/migrations';

export class Migration20261125013528_initial extends Migration {

  override name = 'Migration20261125013528_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table \`customers\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`ref\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(`create unique index \`customers_organisation_id_environment_ref_unique\` on \`customers\` (\`organisation_id\`, \`environment\`, \`ref\`);`);

    this.addSql(`create table \`organisations\` (\`id\` text not null primary key, \`slug\` text not null, \`name\` text not null, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`organisations_slug_unique\` on \`organisations\` (\`slug\`);`);

    this.addSql(`create table \`api_keys\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`name\` text not null, \`prefix\` text not null, \`hash\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, constraint \`api_keys_organisation_id_foreign\` foreign key (\`organisation_id\`) references \`organisations\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`api_keys_organisation_id_index\` on \`api_keys\` (\`organisation_id\`);`);
    this.addSql(`create unique index \`api_keys_hash_unique\` on \`api_keys\` (\`hash\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`customers\`;`);
    this.addSql(`drop table if exists \`organisations\`;`);
    this.addSql(`drop table if exists \`api_keys\`;`);
  }

}
