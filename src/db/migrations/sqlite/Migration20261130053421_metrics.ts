import { Migration } from '@mikro-orm/migrations';

export class Migration20261130053421_metrics extends Migration {

  override name = 'Migration20261130053421_metrics';

  override up(): void | Promise<void> {
    this.addSql(`drop index \`calls_organisation_id_environment_started_at_index\`;`);
    this.addSql(`alter table \`calls\` add column \`csat\` double null;`);
    this.addSql(`alter table \`calls\` add column \`previous_call_at\` datetime null;`);
    // Calls recorded before this column: each customer's previous call, as a call start would have stored it.
    this.addSql(`update \`calls\` set \`previous_call_at\` = (select max(p.\`started_at\`) from \`calls\` p where p.\`customer_id\` = \`calls\`.\`customer_id\` and p.\`started_at\` < \`calls\`.\`started_at\`);`);
    this.addSql(`create index \`calls_metrics_index\` on \`calls\` (\`organisation_id\`, \`environment\`, \`started_at\`, \`previous_call_at\`, \`recommendation\`, \`ended_at\`, \`csat\`, \`intent\`);`);

    this.addSql(`drop index \`intents_organisation_id_environment_updated_at_index\`;`);
    this.addSql(`create index \`intents_metrics_index\` on \`intents\` (\`organisation_id\`, \`environment\`, \`updated_at\`, \`status\`, \`attempt_count\`, \`name\`, \`created_at\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`calls_metrics_index\`;`);
    this.addSql(`alter table \`calls\` drop column \`csat\`;`);
    this.addSql(`alter table \`calls\` drop column \`previous_call_at\`;`);
    this.addSql(`create index \`calls_organisation_id_environment_started_at_index\` on \`calls\` (\`organisation_id\`, \`environment\`, \`started_at\`);`);

    this.addSql(`drop index \`intents_metrics_index\`;`);
    this.addSql(`create index \`intents_organisation_id_environment_updated_at_index\` on \`intents\` (\`organisation_id\`, \`environment\`, \`updated_at\`);`);
  }

}
