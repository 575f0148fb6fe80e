// @pipectl/interop: the field's standards in and out. ODCS v3 data contracts <-> pipectl contracts,
// dbt manifests -> pipectl contracts. Pure mapping; the CLI reads and writes the files.

export { type DbtImportOptions, importDbtManifest } from './dbt/dbt-manifest-to-contracts.js';
export { contractToOdcs, type OdcsExport, odcsYaml } from './odcs/contract-to-odcs.js';
export {
  ODCS_API_VERSION,
  ODCS_READ_VERSIONS,
  type OdcsDocument,
  PIPECTL_VENDOR,
} from './odcs/odcs-document.js';
export {
  type ImportedContract,
  type ImportResult,
  importOdcs,
  type OdcsImportOptions,
} from './odcs/odcs-to-contracts.js';
export { contractYaml } from './write/contract-yaml.js';
