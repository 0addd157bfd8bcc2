/**
 * Server-side templates: Eta with automatic escaping (`<%= %>` escapes, `<%~ %>` is for the layout's body
 * and other already-rendered HTML only). A page is a view model (plain data) rendered by one template.
 */
import { Eta } from 'eta';

import { SOURCE_DIR } from './source-files';

/** What every page's layout needs besides the page's own model. */
export interface LayoutModel {
  /** The page title, before " · Caller Memory". */
  title: string;
  /** Path prefix of the service behind a proxy (PUBLIC_URL's path, '' at the root): asset links start with it. */
  basePath: string;
  /** Extra stylesheets and scripts, by asset name (see assets.ts). */
  styles?: string[];
  scripts?: string[];
}

/** The template engine, compiled templates cached; names are paths under src/ without `.eta`. */
export function createTemplates(): Eta {
  return new Eta({ views: SOURCE_DIR, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });
}
