/** The committed migrations alone reproduce the entity schema, on both engines. */
import { ENGINES } from '../support/scratch-database';
import { createTestOrm } from '../support/test-app';

describe.each(ENGINES)('migrations on %s', (engine) => {
  it('leave nothing for the schema generator to change', async () => {
    const { orm, close } = await createTestOrm(engine);
    try {
      expect(await orm.migrator.getPending()).toEqual([]);
      expect((await orm.migrator.getExecuted()).length).toBeGreaterThan(0);
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    } finally {
      await close();
    }
  });
});
