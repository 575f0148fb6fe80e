// What the dbt import reads from a manifest: a model (named by its relation), a test attached to
// one, the column and check records a contract is built from, and how a `ref` names a model.

/** One dbt model the import carries, with the dataset its relation names. */
export interface Model {
  readonly id: string;
  readonly node: Record<string, unknown>;
  readonly dataset: string;
  /** The YAML file that documents the model, for messages. */
  readonly where: string;
}

/** One test node of the manifest, by its unique id. */
export interface DbtTest {
  readonly id: string;
  readonly node: Record<string, unknown>;
}

/** A contract column as it is being built (contractYaml writes its fields in the schema's order). */
export type Column = Record<string, unknown>;
/** A pipectl quality check as it is being built. */
export type Check = Record<string, unknown>;

/** `ref('orders')` (or `ref('pkg', 'orders')`) -> the dataset of that model. */
export function refTarget(to: unknown, models: ReadonlyMap<string, Model>): string | undefined {
  if (typeof to !== 'string') return undefined;
  const match = /ref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]/.exec(to);
  if (!match) return undefined;
  const model = [...models.values()].find((m) => m.node.name === match[1]);
  return model?.dataset;
}
