import { Migration } from '@mikro-orm/migrations';

/**
 * The request log moves to a file of its own on SQLite (request-log/request-log-file.ts creates it there);
 * the main file's table goes. Entries written before this migration are not carried over: the log is a
 * debugging aid with a retention of days, and it arrived in the same release.
 */
export class Migration20261130190000_request_log_file extends Migration {

  override name = 'Migration20261130190000_request_log_file';

  override up(): void | Promise<void> {
    this.addSql(`drop table if exists main.\`api_requests\`;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table main.\`api_requests\` (\`id\` text not null primary key, \`organisation_id\` text not null, \`environment\` text check (\`environment\` in ('test', 'prod')) not null, \`at\` datetime not null, \`key_id\` text not null, \`method\` text not null, \`route\` text not null, \`status\` integer not null, \`latency_ms\` double not null, \`call_id\` text null, \`request_id\` text not null, \`error_code\` text null, \`issues\` text null, \`request_body\` text null, \`response_body\` text null);`);
    this.addSql(`create index main.\`api_requests_organisation_id_environment_call_id_index\` on \`api_requests\` (\`organisation_id\`, \`environment\`, \`call_id\`);`);
    this.addSql(`create index main.\`api_requests_organisation_id_environment_at_index\` on \`api_requests\` (\`organisation_id\`, \`environment\`, \`at\`);`);
  }

}
