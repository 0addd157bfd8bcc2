import { withExplorerLinkHtml } from '../../src/explorer/sandbox-link.plugin';
import { createTemplates } from '../../src/pages/templates';

const templates = createTemplates();
const NONCE = 'ab12'.repeat(16);
const APOLLO_PAGE = `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'" />
</head>
  <body>
    <div id="react-root"><div class="fallback">offline</div></div>
  </body>
</html>`;

describe('the explorer link on the Sandbox page', () => {
  it('puts a plain link first in the body, before anything Apollo loads', () => {
    const html = withExplorerLinkHtml(APOLLO_PAGE, '/explorer', templates);
    const body = html.slice(html.indexOf('<body>'));
    expect(body.indexOf('<a href="/explorer">Open the offline GraphQL explorer</a>')).toBeGreaterThan(0);
    expect(body.indexOf('<a href="/explorer">')).toBeLessThan(body.indexOf('react-root'));
    expect(html).toContain('<nav class="cm-explorer-link" aria-label="Offline explorer">');
  });

  it('styles the bar under the page’s own nonce, leaving Apollo’s policy as it was', () => {
    const html = withExplorerLinkHtml(APOLLO_PAGE, '/explorer', templates);
    expect(html).toContain(`<style nonce="${NONCE}">`);
    expect(html).toContain(`content="script-src 'self' 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'"`);
    expect(html.match(/<style/g)).toHaveLength(1);
  });

  it('still shows the link, unstyled, on a page without a nonce', () => {
    const html = withExplorerLinkHtml('<html><body><p>x</p></body></html>', '/explorer', templates);
    expect(html).toContain('<a href="/explorer">');
    expect(html).not.toContain('<style');
  });

  it('escapes the link it is given', () => {
    const html = withExplorerLinkHtml(APOLLO_PAGE, '/a"><script>x</script>$&/explorer', templates);
    expect(html).toContain('href="/a&quot;&gt;&lt;script&gt;x&lt;/script&gt;$&amp;/explorer"');
    expect(html).not.toContain('<script>x');
  });
});
