// @pipectl/catalog-site: the catalog site of a project (`pipectl docs build`). A pure model of
// contracts, pipelines, lineage, impact and search (buildCatalogModel), and a writer that puts it
// with the site's page and script, and the graph library's prebuilt file, into a folder.
export {
  buildCatalogModel,
  type CatalogInput,
  type CheckRecord,
  type Publication,
  type RunRecord,
} from './model/build-catalog-model.js';
export type * from './model/catalog-model.js';
export { type WrittenSite, writeCatalogSite } from './site/write-catalog-site.js';
