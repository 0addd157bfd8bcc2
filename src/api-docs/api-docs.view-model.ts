/** What the REST reference page shows and what its boot script (api-docs.js) is told. */
import { scriptSafeJson } from '../explorer/explorer.view-model';
import { basePathOf } from '../pages/base-path';

/** Where the OpenAPI document is served, below PUBLIC_URL's path. */
export const OPENAPI_PATH = '/openapi.json';

/** Where the reference page is served. */
export const API_DOCS_PATH = '/docs/api';

/** The settings api-docs.js reads from the page's JSON block. */
export interface ApiDocsSettings {
  /** The OpenAPI document Swagger UI renders (this service's own, under PUBLIC_URL's path). */
  url: string;
}

/** The reference page's view model. */
export interface ApiDocsModel {
  basePath: string;
  documentUrl: string;
  /** ApiDocsSettings as JSON, safe inside a `<script type="application/json">`. */
  settingsJson: string;
}

/** Builds the page's model from PUBLIC_URL. */
export function apiDocsModel(publicUrl: string | undefined): ApiDocsModel {
  const basePath = basePathOf(publicUrl);
  const settings: ApiDocsSettings = { url: `${basePath}${OPENAPI_PATH}` };
  return { basePath, documentUrl: settings.url, settingsJson: scriptSafeJson(settings) };
}
