import { Migration } from '@mikro-orm/migrations';

export class Migration20261125013529_initial extends Migration {

  override name = 'Migration20261125013529_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "customers" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "ref" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "customers" add constraint "customers_organisation_id_environment_ref_unique" unique ("organisation_id", "environment", "ref");`);

    this.addSql(`create table "organisations" ("id" uuid not null, "slug" varchar(64) not null, "name" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "organisations" add constraint "organisations_slug_unique" unique ("slug");`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "name" varchar(200) not null, "prefix" varchar(16) not null, "hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_hash_unique" unique ("hash");`);

    this.addSql(`alter table "customers" add constraint "customers_environment_check" check ("environment" in ('test', 'prod'));`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_organisation_id_foreign" foreign key ("organisation_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_environment_check" check ("environment" in ('test', 'prod'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_keys" drop constraint "api_keys_organisation_id_foreign";`);

    this.addSql(`drop table if exists "customers" cascade;`);
    this.addSql(`drop table if exists "organisations" cascade;`);
    this.addSql(`drop table if exists "api_keys" cascade;`);
  }

}
