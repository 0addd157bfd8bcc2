// Lint for the TypeScript sources (typescript-eslint's recommended rules), run by the test command.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', 'coverage/', 'data/', 'src/db/migrations/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
);
