/**
 * Puts a link to the offline explorer on Apollo Sandbox's landing page (GET /graphql for browsers).
 * Apollo's page loads Sandbox from a CDN and stays blank without internet access; the link is plain HTML,
 * first in the page, so the way out shows even then. It wraps Apollo's own plugin rather than the HTTP
 * answer: non-browser GETs never see a landing page, and Apollo's per-page nonce policy stays as written.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLServerListener, LandingPage } from '@apollo/server';
import type { Eta } from 'eta';

import { createTemplates } from '../pages/templates';

// Apollo writes a fresh nonce into each page's <meta> policy; that policy allows no other inline style.
const NONCE = /'nonce-([0-9a-f]+)'/;

/** Apollo's landing page HTML with the link bar first in its body (styled when the page has a nonce to carry). */
export function withExplorerLinkHtml(html: string, explorerHref: string, templates: Eta): string {
  const nonce = NONCE.exec(html)?.[1];
  const bar = templates.render('/explorer/sandbox-link', { href: explorerHref, nonce });
  return html.replace(/<body>/, () => `<body>\n${bar}`);
}

/** Wraps a landing-page plugin (Apollo's Sandbox) so its page links to the explorer at `explorerHref`. */
export function withExplorerLink<T extends BaseContext>(
  inner: ApolloServerPlugin<T>,
  explorerHref: string,
  templates: Eta = createTemplates(),
): ApolloServerPlugin<T> {
  return {
    ...inner,
    async serverWillStart(service) {
      const listener: GraphQLServerListener | void = await inner.serverWillStart?.(service);
      if (!listener?.renderLandingPage) return listener;
      const render = listener.renderLandingPage.bind(listener);
      return {
        ...listener,
        async renderLandingPage(): Promise<LandingPage> {
          const { html } = await render();
          return {
            html: async () => withExplorerLinkHtml(typeof html === 'string' ? html : await html(), explorerHref, templates),
          };
        },
      };
    },
  };
}
