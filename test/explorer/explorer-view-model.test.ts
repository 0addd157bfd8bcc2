import { EXPLORER_DOCUMENT } from '../../src/explorer/explorer-document';
import { explorerHref, explorerModel, scriptSafeJson } from '../../src/explorer/explorer.view-model';
import { basePathOf } from '../../src/pages/base-path';

const settingsOf = (json: string) => JSON.parse(json) as { endpoint: string; defaultQuery: string; introspection: boolean };

describe('the explorer page model', () => {
  it('posts to /graphql and links Sandbox at the root when no PUBLIC_URL is set', () => {
    const model = explorerModel({ pages: {}, graphqlIntrospection: true });
    expect(model).toMatchObject({ basePath: '', sandboxUrl: '/graphql', introspection: true });
    expect(settingsOf(model.settingsJson)).toEqual({ endpoint: '/graphql', defaultQuery: EXPLORER_DOCUMENT, introspection: true });
  });

  it('puts the endpoint, the Sandbox link and the explorer link under PUBLIC_URL’s path', () => {
    const pages = { publicUrl: 'https://memory.example.com/caller-memory' };
    const model = explorerModel({ pages, graphqlIntrospection: false });
    expect(model).toMatchObject({ basePath: '/caller-memory', sandboxUrl: '/caller-memory/graphql', introspection: false });
    expect(settingsOf(model.settingsJson)).toMatchObject({ endpoint: '/caller-memory/graphql', introspection: false });
    expect(explorerHref(pages.publicUrl)).toBe('/caller-memory/explorer');
    expect(explorerHref(undefined)).toBe('/explorer');
  });

  it('opens on a read-only operation that parses', async () => {
    const { parse } = await import('graphql');
    const operations = parse(EXPLORER_DOCUMENT).definitions.map((d) => ('operation' in d ? d.operation : d.kind));
    expect(operations).toEqual(['query']);
  });

  it('writes JSON that cannot close the script element it is embedded in', () => {
    const json = scriptSafeJson({ text: '</script><script>alert(1)</script>' });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ text: '</script><script>alert(1)</script>' });
  });
});

describe('the base path', () => {
  it.each([
    [undefined, ''],
    ['https://memory.example.com', ''],
    ['https://memory.example.com/', ''],
    ['https://memory.example.com/cm', '/cm'],
    ['https://memory.example.com/a/b//', '/a/b'],
    ['http://10.0.0.5:8080/caller memory', '/caller%20memory'],
  ])('is the path of PUBLIC_URL %p without a trailing slash', (publicUrl, expected) => {
    expect(basePathOf(publicUrl)).toBe(expected);
  });
});
