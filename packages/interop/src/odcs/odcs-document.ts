// The part of the Open Data Contract Standard (ODCS v3) pipectl reads and writes, as plain types.
// Field names and meanings follow the ODCS v3.2.0 JSON Schema (bitol-io/open-data-contract-standard);
// the peers that judge our output are datacontract-cli's `lint` and the ODCS pydantic model.

/** The ODCS version pipectl writes. */
export const ODCS_API_VERSION = 'v3.2.0';
/** The ODCS versions pipectl reads. */
export const ODCS_READ_VERSIONS = ['v3.0.0', 'v3.0.1', 'v3.0.2', 'v3.1.0', 'v3.2.0'] as const;
/** `vendor` of the customProperties that carry pipectl settings ODCS has no field for. */
export const PIPECTL_VENDOR = 'pipectl';

export interface OdcsCustomProperty {
  property: string;
  value: unknown;
  vendor?: string;
  description?: string;
}

export interface OdcsQuality {
  name?: string;
  description?: string;
  type?: 'library' | 'sql' | 'custom' | 'text';
  metric?: 'nullValues' | 'missingValues' | 'invalidValues' | 'duplicateValues' | 'rowCount';
  arguments?: Record<string, unknown>;
  unit?: string;
  severity?: string;
  mustBe?: unknown;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  query?: string;
  engine?: string;
  implementation?: string | Record<string, unknown>;
  customProperties?: OdcsCustomProperty[];
}

export interface OdcsProperty {
  name: string;
  physicalType?: string;
  logicalType?: string;
  logicalTypeOptions?: Record<string, unknown>;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  classification?: string;
  enum?: { value: string | number | boolean }[];
  relationships?: { type?: 'foreignKey'; to: string }[];
  tags?: string[];
  quality?: OdcsQuality[];
  customProperties?: OdcsCustomProperty[];
}

export interface OdcsSchemaObject {
  name: string;
  physicalName?: string;
  physicalType?: string;
  description?: string;
  tags?: string[];
  properties: OdcsProperty[];
  quality?: OdcsQuality[];
}

export interface OdcsSlaProperty {
  property: string;
  value: string | number;
  unit?: string;
  element?: string;
  customProperties?: OdcsCustomProperty[];
}

export interface OdcsDocument {
  apiVersion: string;
  kind: 'DataContract';
  id: string;
  name: string;
  version: string;
  status?: string;
  tags?: string[];
  team?: { name: string; members?: { username: string; role: string }[] };
  schema: OdcsSchemaObject[];
  slaProperties?: OdcsSlaProperty[];
  customProperties?: OdcsCustomProperty[];
}
