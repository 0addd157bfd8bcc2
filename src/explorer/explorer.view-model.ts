/** What the offline explorer page shows and what its boot script (explorer.js) is told. */
import type { Config } from '../config';
import { basePathOf } from '../pages/base-path';
import { EXPLORER_DOCUMENT } from './explorer-document';

/** Where the explorer is served, below PUBLIC_URL's path. */
export const EXPLORER_PATH = '/explorer';

/** The explorer's link as the service's pages and Sandbox give it (PUBLIC_URL's path, then /explorer). */
export function explorerHref(publicUrl: string | undefined): string {
  return `${basePathOf(publicUrl)}${EXPLORER_PATH}`;
}

/** The settings explorer.js reads from the page's JSON block. */
export interface ExplorerSettings {
  /** Where GraphiQL posts operations (under PUBLIC_URL's path). */
  endpoint: string;
  /** The operation in the editor on a first visit. */
  defaultQuery: string;
  /** Whether the service answers introspection (docs and completion); without it GraphiQL asks for no schema. */
  introspection: boolean;
}

/** The explorer page's view model. */
export interface ExplorerModel {
  basePath: string;
  /** Apollo Sandbox, for developers with internet access. */
  sandboxUrl: string;
  introspection: boolean;
  /** ExplorerSettings as JSON, safe inside a `<script type="application/json">` (no `<`). */
  settingsJson: string;
}

/** JSON that cannot end the script element it sits in: `<` becomes `\u003c`. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Builds the page's model from the configuration. */
export function explorerModel(config: { pages: Pick<Config['pages'], 'publicUrl'>; graphqlIntrospection: boolean }): ExplorerModel {
  const basePath = basePathOf(config.pages.publicUrl);
  const settings: ExplorerSettings = {
    endpoint: `${basePath}/graphql`,
    defaultQuery: EXPLORER_DOCUMENT,
    introspection: config.graphqlIntrospection,
  };
  return { basePath, sandboxUrl: `${basePath}/graphql`, introspection: config.graphqlIntrospection, settingsJson: scriptSafeJson(settings) };
}
