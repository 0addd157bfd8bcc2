import { Migration } from '@mikro-orm/migrations';

export class Migration20261130131113_operations extends Migration {

  override name = 'Migration20261130131113_operations';

  override up(): void | Promise<void> {
    this.addSql(`create table "api_requests" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "at" timestamptz not null, "key_id" uuid not null, "method" varchar(8) not null, "route" varchar(100) not null, "status" int not null, "latency_ms" double precision not null, "call_id" varchar(256) null, "request_id" varchar(128) not null, "error_code" varchar(64) null, "issues" text null, "request_body" text null, "response_body" text null, primary key ("id"));`);
    this.addSql(`create index "api_requests_organisation_id_environment_call_id_index" on "api_requests" ("organisation_id", "environment", "call_id");`);
    this.addSql(`create index "api_requests_organisation_id_environment_at_index" on "api_requests" ("organisation_id", "environment", "at");`);

    this.addSql(`create table "rate_limit_counters" ("key" varchar(255) not null, "points" int not null default 0, "expire" bigint null, primary key ("key"));`);

    this.addSql(`create table "usage_days" ("organisation_id" uuid not null, "environment" text not null, "day" varchar(10) not null, "starts" int not null default 0, "ends" int not null default 0, "identified" int not null default 0, primary key ("organisation_id", "environment", "day"));`);

    this.addSql(`create table "usage_months" ("organisation_id" uuid not null, "month" varchar(7) not null, "used" int not null default 0, primary key ("organisation_id", "month"));`);

    this.addSql(`alter table "organisations" add "rate_limit_per_minute" int null, add "monthly_quota" int null, add "log_bodies" boolean not null default false;`);

    this.addSql(`alter table "api_keys" add "expires_at" timestamptz null, add "last_used_at" timestamptz null;`);

    this.addSql(`alter table "api_requests" add constraint "api_requests_environment_check" check ("environment" in ('test', 'prod'));`);

    this.addSql(`alter table "usage_days" add constraint "usage_days_environment_check" check ("environment" in ('test', 'prod'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "api_requests" cascade;`);
    this.addSql(`drop table if exists "rate_limit_counters" cascade;`);
    this.addSql(`drop table if exists "usage_days" cascade;`);
    this.addSql(`drop table if exists "usage_months" cascade;`);

    this.addSql(`alter table "api_keys" drop column "expires_at", drop column "last_used_at";`);

    this.addSql(`alter table "organisations" drop column "rate_limit_per_minute", drop column "monthly_quota", drop column "log_bodies";`);
  }

}
