import { Migration } from '@mikro-orm/migrations';

export class Migration20261125020247_caller_memory extends Migration {

  override name = 'Migration20261125020247_caller_memory';

  override up(): void | Promise<void> {
    this.addSql(`create table \`calls\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`call_id\` text not null, \`customer_id\` text not null, \`started_at\` datetime not null, \`ended_at\` datetime null, \`duration_seconds\` integer null, \`ani_raw\` text null, \`ani\` text null, \`dnis\` text null, \`line_type\` text check (\`line_type\` in ('mobile', 'landline', 'voip', 'unknown')) not null default 'unknown', \`confidence\` double not null default 0, \`level\` text not null default 'low', \`recommendation\` text not null default 'ignore', \`sources\` json not null, \`intent\` text null, \`intent_status\` text check (\`intent_status\` in ('open', 'resolved', 'abandoned')) null, \`variables_written\` json not null, \`start_fingerprint\` text null, \`end_fingerprint\` text null, \`start_snapshot\` json null, \`intents_updated\` integer null, \`variables_updated\` integer null, constraint \`calls_customer_id_foreign\` foreign key (\`customer_id\`) references \`customers\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`calls_customer_id_index\` on \`calls\` (\`customer_id\`);`);
    this.addSql(`create index \`calls_customer_id_started_at_index\` on \`calls\` (\`customer_id\`, \`started_at\`);`);
    this.addSql(`create index \`calls_organisation_id_environment_started_at_index\` on \`calls\` (\`organisation_id\`, \`environment\`, \`started_at\`);`);
    this.addSql(`create unique index \`calls_organisation_id_environment_call_id_unique\` on \`calls\` (\`organisation_id\`, \`environment\`, \`call_id\`);`);

    this.addSql(`create table \`external_identities\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`customer_id\` text not null, \`key\` text not null, \`value\` text not null, \`created_at\` datetime not null, \`last_seen_at\` datetime not null, constraint \`external_identities_customer_id_foreign\` foreign key (\`customer_id\`) references \`customers\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`external_identities_customer_id_index\` on \`external_identities\` (\`customer_id\`);`);
    this.addSql(`create unique index \`external_identities_organisation_id_environment_key_value_unique\` on \`external_identities\` (\`organisation_id\`, \`environment\`, \`key\`, \`value\`);`);

    this.addSql(`create table \`intents\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`customer_id\` text not null, \`name\` text not null, \`status\` text check (\`status\` in ('open', 'resolved', 'abandoned')) not null, \`attempt_count\` integer not null default 1, \`last_call_id\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`intents_customer_id_foreign\` foreign key (\`customer_id\`) references \`customers\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`intents_customer_id_index\` on \`intents\` (\`customer_id\`);`);
    this.addSql(`create index \`intents_organisation_id_environment_updated_at_index\` on \`intents\` (\`organisation_id\`, \`environment\`, \`updated_at\`);`);
    this.addSql(`create unique index \`intents_organisation_id_environment_customer_id_name_unique\` on \`intents\` (\`organisation_id\`, \`environment\`, \`customer_id\`, \`name\`);`);

    this.addSql(`create table \`phone_identities\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`customer_id\` text not null, \`e164\` text not null, \`line_type\` text check (\`line_type\` in ('mobile', 'landline', 'voip', 'unknown')) not null default 'unknown', \`created_at\` datetime not null, \`last_seen_at\` datetime not null, constraint \`phone_identities_customer_id_foreign\` foreign key (\`customer_id\`) references \`customers\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`phone_identities_customer_id_index\` on \`phone_identities\` (\`customer_id\`);`);
    this.addSql(`create index \`phone_identities_organisation_id_environment_e164_index\` on \`phone_identities\` (\`organisation_id\`, \`environment\`, \`e164\`);`);
    this.addSql(`create unique index \`phone_identities_organisation_id_environment_e164_customer_id_unique\` on \`phone_identities\` (\`organisation_id\`, \`environment\`, \`e164\`, \`customer_id\`);`);

    this.addSql(`create table \`variables\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`customer_id\` text not null, \`name\` text not null, \`value\` text not null, \`source\` text null, \`ttl_seconds\` integer not null, \`expires_at\` datetime not null, \`last_call_id\` text null, \`updated_at\` datetime not null, constraint \`variables_customer_id_foreign\` foreign key (\`customer_id\`) references \`customers\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`variables_customer_id_index\` on \`variables\` (\`customer_id\`);`);
    this.addSql(`create index \`variables_expires_at_index\` on \`variables\` (\`expires_at\`);`);
    this.addSql(`create unique index \`variables_organisation_id_environment_customer_id_name_unique\` on \`variables\` (\`organisation_id\`, \`environment\`, \`customer_id\`, \`name\`);`);

    this.addSql(`alter table \`customers\` add column \`provisional\` integer not null default true;`);
    this.addSql(`alter table \`customers\` add column \`last_call_at\` datetime null;`);
    this.addSql(`alter table \`customers\` add column \`call_count\` integer not null default 0;`);
    this.addSql(`alter table \`customers\` add column \`merged_into_id\` text null;`);
    this.addSql(`create index \`customers_organisation_id_environment_last_call_at_index\` on \`customers\` (\`organisation_id\`, \`environment\`, \`last_call_at\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`calls\`;`);
    this.addSql(`drop table if exists \`external_identities\`;`);
    this.addSql(`drop table if exists \`intents\`;`);
    this.addSql(`drop table if exists \`phone_identities\`;`);
    this.addSql(`drop table if exists \`variables\`;`);

    this.addSql(`drop index \`customers_organisation_id_environment_last_call_at_index\`;`);
    this.addSql(`alter table \`customers\` drop column \`provisional\`;`);
    this.addSql(`alter table \`customers\` drop column \`last_call_at\`;`);
    this.addSql(`alter table \`customers\` drop column \`call_count\`;`);
    this.addSql(`alter table \`customers\` drop column \`merged_into_id\`;`);
  }

}
