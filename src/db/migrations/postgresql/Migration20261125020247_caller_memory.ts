import { Migration } from '@mikro-orm/migrations';

export class Migration20261125020247_caller_memory extends Migration {

  override name = 'Migration20261125020247_caller_memory';

  override up(): void | Promise<void> {
    this.addSql(`create table "calls" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "call_id" varchar(256) not null, "customer_id" uuid not null, "started_at" timestamptz not null, "ended_at" timestamptz null, "duration_seconds" int null, "ani_raw" varchar(64) null, "ani" varchar(32) null, "dnis" varchar(64) null, "line_type" text not null default 'unknown', "confidence" double precision not null default 0, "level" varchar(16) not null default 'low', "recommendation" varchar(16) not null default 'ignore', "sources" jsonb not null, "intent" varchar(128) null, "intent_status" text null, "variables_written" jsonb not null, "start_fingerprint" varchar(64) null, "end_fingerprint" varchar(64) null, "start_snapshot" jsonb null, "intents_updated" int null, "variables_updated" int null, primary key ("id"));`);
    this.addSql(`create index "calls_customer_id_started_at_index" on "calls" ("customer_id", "started_at");`);
    this.addSql(`create index "calls_organisation_id_environment_started_at_index" on "calls" ("organisation_id", "environment", "started_at");`);
    this.addSql(`alter table "calls" add constraint "calls_organisation_id_environment_call_id_unique" unique ("organisation_id", "environment", "call_id");`);

    this.addSql(`create table "external_identities" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "customer_id" uuid not null, "key" varchar(64) not null, "value" varchar(256) not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "external_identities" add constraint "external_identities_organisation_id_environment_k_ad728_unique" unique ("organisation_id", "environment", "key", "value");`);

    this.addSql(`create table "intents" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "customer_id" uuid not null, "name" varchar(128) not null, "status" text not null, "attempt_count" int not null default 1, "last_call_id" varchar(256) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "intents_organisation_id_environment_updated_at_index" on "intents" ("organisation_id", "environment", "updated_at");`);
    this.addSql(`alter table "intents" add constraint "intents_organisation_id_environment_customer_id_name_unique" unique ("organisation_id", "environment", "customer_id", "name");`);

    this.addSql(`create table "phone_identities" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "customer_id" uuid not null, "e164" varchar(32) not null, "line_type" text not null default 'unknown', "created_at" timestamptz not null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "phone_identities_organisation_id_environment_e164_index" on "phone_identities" ("organisation_id", "environment", "e164");`);
    this.addSql(`alter table "phone_identities" add constraint "phone_identities_organisation_id_environment_e164_a84a6_unique" unique ("organisation_id", "environment", "e164", "customer_id");`);

    this.addSql(`create table "variables" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "customer_id" uuid not null, "name" varchar(64) not null, "value" text not null, "source" varchar(64) null, "ttl_seconds" int not null, "expires_at" timestamptz not null, "last_call_id" varchar(256) null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "variables_expires_at_index" on "variables" ("expires_at");`);
    this.addSql(`alter table "variables" add constraint "variables_organisation_id_environment_customer_id_name_unique" unique ("organisation_id", "environment", "customer_id", "name");`);

    this.addSql(`alter table "customers" add "provisional" boolean not null default true, add "last_call_at" timestamptz null, add "call_count" int not null default 0, add "merged_into_id" uuid null;`);
    this.addSql(`create index "customers_organisation_id_environment_last_call_at_index" on "customers" ("organisation_id", "environment", "last_call_at");`);

    this.addSql(`alter table "calls" add constraint "calls_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete cascade;`);
    this.addSql(`alter table "calls" add constraint "calls_environment_check" check ("environment" in ('test', 'prod'));`);
    this.addSql(`alter table "calls" add constraint "calls_line_type_check" check ("line_type" in ('mobile', 'landline', 'voip', 'unknown'));`);
    this.addSql(`alter table "calls" add constraint "calls_intent_status_check" check ("intent_status" in ('open', 'resolved', 'abandoned'));`);

    this.addSql(`alter table "external_identities" add constraint "external_identities_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete cascade;`);
    this.addSql(`alter table "external_identities" add constraint "external_identities_environment_check" check ("environment" in ('test', 'prod'));`);

    this.addSql(`alter table "intents" add constraint "intents_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete cascade;`);
    this.addSql(`alter table "intents" add constraint "intents_environment_check" check ("environment" in ('test', 'prod'));`);
    this.addSql(`alter table "intents" add constraint "intents_status_check" check ("status" in ('open', 'resolved', 'abandoned'));`);

    this.addSql(`alter table "phone_identities" add constraint "phone_identities_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete cascade;`);
    this.addSql(`alter table "phone_identities" add constraint "phone_identities_environment_check" check ("environment" in ('test', 'prod'));`);
    this.addSql(`alter table "phone_identities" add constraint "phone_identities_line_type_check" check ("line_type" in ('mobile', 'landline', 'voip', 'unknown'));`);

    this.addSql(`alter table "variables" add constraint "variables_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete cascade;`);
    this.addSql(`alter table "variables" add constraint "variables_environment_check" check ("environment" in ('test', 'prod'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calls" cascade;`);
    this.addSql(`drop table if exists "external_identities" cascade;`);
    this.addSql(`drop table if exists "intents" cascade;`);
    this.addSql(`drop table if exists "phone_identities" cascade;`);
    this.addSql(`drop table if exists "variables" cascade;`);

    this.addSql(`drop index "customers_organisation_id_environment_last_call_at_index";`);
    this.addSql(`alter table "customers" drop column "provisional", drop column "last_call_at", drop column "call_count", drop column "merged_into_id";`);
  }

}
