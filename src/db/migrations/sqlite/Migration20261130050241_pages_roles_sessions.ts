import { Migration } from '@mikro-orm/migrations';

export class Migration20261130050241_pages_roles_sessions extends Migration {

  override name = 'Migration20261130050241_pages_roles_sessions';

  override up(): void | Promise<void> {
    this.addSql(`create table \`dashboard_sessions\` (\`id\` text not null primary key, \`token_hash\` text not null, \`api_key_id\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, constraint \`dashboard_sessions_api_key_id_foreign\` foreign key (\`api_key_id\`) references \`api_keys\` (\`id\`) on delete cascade);`);
    this.addSql(`create unique index \`dashboard_sessions_token_hash_unique\` on \`dashboard_sessions\` (\`token_hash\`);`);
    this.addSql(`create index \`dashboard_sessions_api_key_id_index\` on \`dashboard_sessions\` (\`api_key_id\`);`);
    this.addSql(`create index \`dashboard_sessions_expires_at_index\` on \`dashboard_sessions\` (\`expires_at\`);`);

    this.addSql(`alter table \`organisations\` add column \`time_zone\` text not null default 'UTC';`);

    // A plain added column: existing keys become ordinary keys (bootstrap promotes its own key to admin).
    this.addSql(`alter table \`api_keys\` add column \`role\` text check (\`role\` in ('standard', 'admin')) not null default 'standard';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`dashboard_sessions\`;`);

    this.addSql(`alter table \`api_keys\` drop column \`role\`;`);

    this.addSql(`alter table \`organisations\` drop column \`time_zone\`;`);
  }

}
