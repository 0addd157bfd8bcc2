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
};
