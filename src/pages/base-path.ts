/** The path prefix of the service behind a proxy: PUBLIC_URL's path without a trailing slash, '' at the root. */
export function basePathOf(publicUrl: string | undefined): string {
  if (!publicUrl) return '';
  return new URL(publicUrl).pathname.replace(/\/+$/, '');
}
