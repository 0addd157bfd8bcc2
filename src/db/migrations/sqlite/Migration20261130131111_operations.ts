import { Migration } from '@mikro-orm/migrations';

export class Migration20261130131111_operations extends Migration {

  override name = 'Migration20261130131111_operations';

  override up(): void | Promise<void> {
    this.addSql(`create table \`api_requests\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`at\` datetime not null, \`key_id\` text not null, \`method\` text not null, \`route\` text not null, \`status\` integer not null, \`latency_ms\` double not null, \`call_id\` text null, \`request_id\` text not null, \`error_code\` text null, \`issues\` text null, \`request_body\` text null, \`response_body\` text null);`);
    this.addSql(`create index \`api_requests_organisation_id_environment_call_id_index\` on \`api_requests\` (\`organisation_id\`, \`environment\`, \`call_id\`);`);
    this.addSql(`create index \`api_requests_organisation_id_environment_at_index\` on \`api_requests\` (\`organisation_id\`, \`environment\`, \`at\`);`);

    this.addSql(`create table \`rate_limit_counters\` (\`key\` text not null primary key, \`points\` integer not null default 0, \`expire\` bigint null);`);

    this.addSql(`create table \`usage_days\` (\`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`day\` text not null, \`starts\` integer not null default 0, \`ends\` integer not null default 0, \`identified\` integer not null default 0, primary key (\`organisation_id\`, \`environment\`, \`day\`));`);

    this.addSql(`create table \`usage_months\` (\`organisation_id\` text not null, \`month\` text not null, \`used\` integer not null default 0, primary key (\`organisation_id\`, \`month\`));`);

    this.addSql(`alter table \`organisations\` add column \`rate_limit_per_minute\` integer null;`);
    this.addSql(`alter table \`organisations\` add column \`monthly_quota\` integer null;`);
    this.addSql(`alter table \`organisations\` add column \`log_bodies\` integer not null default false;`);

    this.addSql(`alter table \`api_keys\` add column \`expires_at\` datetime null;`);
    this.addSql(`alter table \`api_keys\` add column \`last_used_at\` datetime null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`api_requests\`;`);
    this.addSql(`drop table if exists \`rate_limit_counters\`;`);
    this.addSql(`drop table if exists \`usage_days\`;`);
    this.addSql(`drop table if exists \`usage_months\`;`);

    this.addSql(`alter table \`api_keys\` drop column \`expires_at\`;`);
    this.addSql(`alter table \`api_keys\` drop column \`last_used_at\`;`);

    this.addSql(`alter table \`organisations\` drop column \`rate_limit_per_minute\`;`);
    this.addSql(`alter table \`organisations\` drop column \`monthly_quota\`;`);
    this.addSql(`alter table \`organisations\` drop column \`log_bodies\`;`);
  }

}
