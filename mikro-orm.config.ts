/** MikroORM CLI configuration: the app's own options for the configured database (see src/db/orm.ts). */
import 'reflect-metadata';

import { loadConfig } from './src/config';
import { ormOptions } from './src/db/orm';

export default ormOptions(loadConfig().database);
