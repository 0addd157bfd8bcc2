/** Every entity the ORM knows, in one list shared by the app, the CLI and the tests. */
import { Customer } from '../customers/customer.entity';
import { ApiKey } from '../tenancy/api-key.entity';
import { Organisation } from '../tenancy/organisation.entity';

export const entities = [Organisation, ApiKey, Customer];
