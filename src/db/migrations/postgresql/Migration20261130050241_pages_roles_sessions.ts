import { Migration } from '@mikro-orm/migrations';

export class Migration20261130050241_pages_roles_sessions extends Migration {

  override name = 'Migration20261130050241_pages_roles_sessions';

  override up(): void | Promise<void> {
    this.addSql(`create table "dashboard_sessions" ("id" uuid not null, "token_hash" varchar(64) not null, "api_key_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "dashboard_sessions" add constraint "dashboard_sessions_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "dashboard_sessions_expires_at_index" on "dashboard_sessions" ("expires_at");`);

    this.addSql(`alter table "organisations" add "time_zone" varchar(64) not null default 'UTC';`);

    this.addSql(`alter table "api_keys" add "role" text not null default 'standard';`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_role_check" check ("role" in ('standard', 'admin'));`);

    this.addSql(`alter table "dashboard_sessions" add constraint "dashboard_sessions_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "dashboard_sessions" cascade;`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_role_check";`);
    this.addSql(`alter table "api_keys" drop column "role";`);

    this.addSql(`alter table "organisations" drop column "time_zone";`);
  }

}
