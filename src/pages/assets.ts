/**
 * Every file a page loads, by name: our own stylesheets from src/, and browser builds from npm packages
 * installed by `npm ci`. Nothing is fetched from another host. Add an entry here to serve a new file.
 */
import { join } from 'node:path';

import { packageFile, SOURCE_DIR } from './source-files';

/** A servable file and its media type. */
export interface Asset {
  file: string;
  type: string;
}

const CSS = 'text/css; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';

/** The assets by the name they are served under: `GET /assets/<name>`. */
export const ASSETS: Readonly<Record<string, Asset>> = {
  'pages.css': { file: join(SOURCE_DIR, 'pages', 'pages.css'), type: CSS },
  // The agent screen pop (src/screen-pop/).
  'screen-pop.css': { file: join(SOURCE_DIR, 'screen-pop', 'screen-pop.css'), type: CSS },
  // The outcomes dashboard (src/dashboard/): Chart.js's UMD build, our chart script and stylesheet.
  'chart.umd.min.js': { file: packageFile('chart.js', 'dist/chart.umd.min.js'), type: JS },
  'dashboard.js': { file: join(SOURCE_DIR, 'dashboard', 'dashboard.js'), type: JS },
  'dashboard.css': { file: join(SOURCE_DIR, 'dashboard', 'dashboard.css'), type: CSS },
  // The offline explorer (src/explorer/): GraphiQL's UMD build over React 18's, and our boot script.
  'react.production.min.js': { file: packageFile('react', 'umd/react.production.min.js'), type: JS },
  'react-dom.production.min.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: JS },
  'graphiql.min.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: JS },
  'graphiql.min.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: CSS },
  'explorer.js': { file: join(SOURCE_DIR, 'explorer', 'explorer.js'), type: JS },
  'explorer.css': { file: join(SOURCE_DIR, 'explorer', 'explorer.css'), type: CSS },
  // The REST reference (src/api-docs/): Swagger UI's bundle and stylesheet, our boot script and stylesheet.
  'swagger-ui-bundle.js': { file: packageFile('swagger-ui-dist', 'swagger-ui-bundle.js'), type: JS },
  'swagger-ui.css': { file: packageFile('swagger-ui-dist', 'swagger-ui.css'), type: CSS },
  'api-docs.js': { file: join(SOURCE_DIR, 'api-docs', 'api-docs.js'), type: JS },
  'api-docs.css': { file: join(SOURCE_DIR, 'api-docs', 'api-docs.css'), type: CSS },
};
