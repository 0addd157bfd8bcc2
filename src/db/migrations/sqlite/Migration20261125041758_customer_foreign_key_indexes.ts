import { Migration } from '@mikro-orm/migrations';

export class Migration20261125041758_customer_foreign_key_indexes extends Migration {

  override name = 'Migration20261125041758_customer_foreign_key_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index \`calls_customer_id_index\`;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create index \`calls_customer_id_index\` on \`calls\` (\`customer_id\`);`);
  }

}
