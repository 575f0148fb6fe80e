// Addresses of pages of the catalog site (`pipectl docs build`). The site is one static page that
// routes on the URL's fragment, so a page's address is the same on a web server and from file://.
// Pure and dependency-free: the CLI, the check report and workflow code (approval details) use it.

export type DocsPageKind = 'contract' | 'pipeline' | 'explorer';

/**
 * The address of a page of the site published at `base`.
 * @example docsPageUrl('https://data.example.com/catalog', 'contract', 'mart.orders')
 * // 'https://data.example.com/catalog/index.html#/contract/mart.orders'
 */
export function docsPageUrl(base: string, kind: DocsPageKind, name: string): string {
  const root = base.endsWith('/index.html') ? base : `${base.replace(/\/+$/, '')}/index.html`;
  return `${root}#/${kind}/${encodeURIComponent(name)}`;
}
