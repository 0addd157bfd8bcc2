import { Migration } from '@mikro-orm/migrations';

export class Migration20261125041758_customer_foreign_key_indexes extends Migration {

  override name = 'Migration20261125041758_customer_foreign_key_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "external_identities_customer_id_index" on "external_identities" ("customer_id");`);

    this.addSql(`create index "intents_customer_id_index" on "intents" ("customer_id");`);

    this.addSql(`create index "phone_identities_customer_id_index" on "phone_identities" ("customer_id");`);

    this.addSql(`create index "variables_customer_id_index" on "variables" ("customer_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "external_identities_customer_id_index";`);

    this.addSql(`drop index "intents_customer_id_index";`);

    this.addSql(`drop index "phone_identities_customer_id_index";`);

    this.addSql(`drop index "variables_customer_id_index";`);
  }

}
