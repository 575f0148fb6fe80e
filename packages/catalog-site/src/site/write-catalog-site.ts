// The I/O edge of the catalog site: writes the model next to the site's page, script and style,
// and cytoscape's prebuilt file (no CDN: the site works offline, from file:// or any server).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CatalogModel } from '../model/catalog-model.js';

export interface WrittenSite {
  readonly dir: string;
  /** The entry page. */
  readonly index: string;
  readonly files: readonly string[];
}

const ASSETS = new URL('../../assets/', import.meta.url);

/**
 * Writes the site into `dir` (created when missing; files it writes are replaced).
 * @example const site = await writeCatalogSite(model, 'target/docs'); site.index // 'target/docs/index.html'
 */
export async function writeCatalogSite(model: CatalogModel, dir: string): Promise<WrittenSite> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  const files: string[] = [];
  const put = async (name: string, text: string): Promise<void> => {
    await writeFile(join(dir, name), text);
    files.push(name);
  };
  const page = await readFile(new URL('index.html', ASSETS), 'utf8');
  await put('index.html', page.replace('{{title}}', escapeHtml(`${model.project.name} · pipectl catalog`)));
  for (const asset of ['catalog.js', 'catalog.css'])
    await put(`assets/${asset}`, await readFile(new URL(asset, ASSETS), 'utf8'));
  // A script, not a .json fetched at run time: browsers refuse fetch() from file://.
  await put('assets/model.js', `window.PIPECTL_CATALOG = ${scriptSafeJson(model)};\n`);
  const require = createRequire(import.meta.url);
  await copyFile(require.resolve('cytoscape/dist/cytoscape.min.js'), join(dir, 'assets/cytoscape.min.js'));
  files.push('assets/cytoscape.min.js');
  return { dir, index: join(dir, 'index.html'), files };
}

/** JSON that cannot end the script element it is in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
