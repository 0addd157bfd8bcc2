import { Migration } from '@mikro-orm/migrations';

export class Migration20261130100520_privacy_tombstones_audit extends Migration {

  override name = 'Migration20261130100520_privacy_tombstones_audit';

  override up(): void | Promise<void> {
    this.addSql(`create table "privacy_audit" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "action" text not null, "key_id" uuid not null, "at" timestamptz not null, "subject" varchar(64) not null, primary key ("id"));`);
    this.addSql(`create index "privacy_audit_organisation_id_environment_at_index" on "privacy_audit" ("organisation_id", "environment", "at");`);

    this.addSql(`create table "privacy_tombstones" ("id" uuid not null, "organisation_id" uuid not null, "environment" text not null, "kind" text not null, "digest" varchar(64) not null, "erased_at" timestamptz not null, "erased_by" uuid not null, primary key ("id"));`);
    this.addSql(`create index "privacy_tombstones_organisation_id_environment_erased_at_index" on "privacy_tombstones" ("organisation_id", "environment", "erased_at");`);
    this.addSql(`alter table "privacy_tombstones" add constraint "privacy_tombstones_organisation_id_environment_digest_unique" unique ("organisation_id", "environment", "digest");`);

    this.addSql(`alter table "privacy_audit" add constraint "privacy_audit_environment_check" check ("environment" in ('test', 'prod'));`);
    this.addSql(`alter table "privacy_audit" add constraint "privacy_audit_action_check" check ("action" in ('erase', 'export', 'lift_tombstone'));`);

    this.addSql(`alter table "privacy_tombstones" add constraint "privacy_tombstones_environment_check" check ("environment" in ('test', 'prod'));`);
    this.addSql(`alter table "privacy_tombstones" add constraint "privacy_tombstones_kind_check" check ("kind" in ('call', 'customer_ref', 'phone', 'external_id'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "privacy_audit" cascade;`);
    this.addSql(`drop table if exists "privacy_tombstones" cascade;`);
  }

}
