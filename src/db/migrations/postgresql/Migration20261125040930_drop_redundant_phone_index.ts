import { Migration } from '@mikro-orm/migrations';

export class Migration20261125040930_drop_redundant_phone_index extends Migration {

  override name = 'Migration20261125040930_drop_redundant_phone_index';

  override up(): void | Promise<void> {
    this.addSql(`drop index "phone_identities_organisation_id_environment_e164_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create index "phone_identities_organisation_id_environment_e164_index" on "phone_identities" ("organisation_id", "environment", "e164");`);
  }

}
