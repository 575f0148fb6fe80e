// The namespaces of a project's events and what they describe. Jobs live in the project's
// namespace (its name, unless configured); datasets in the namespace of the warehouse holding them
// (`pipectl://<project>` unless configured, e.g. to match how other tools name the same warehouse).
import type { DatasetPlan } from '@pipectl/compiler';
import type { DatasetDocs, LineageContext } from './dataset-facets.js';

export function defaultDatasetNamespace(project: string): string {
  return `pipectl://${project}`;
}

/**
 * @example lineageContext({ project: { name: 'shop' }, datasets: plan.datasets }).namespace // 'shop'
 */
export function lineageContext(args: {
  readonly project: { readonly name: string };
  readonly datasets: readonly DatasetPlan[];
  /** The contracts, for their descriptions (`Contract` fits). */
  readonly contracts?: readonly (DatasetDocs & { readonly name: string })[];
  readonly namespace?: string | undefined;
  readonly datasetNamespace?: string | undefined;
}): LineageContext {
  return {
    namespace: args.namespace ?? args.project.name,
    datasetNamespace: args.datasetNamespace ?? defaultDatasetNamespace(args.project.name),
    datasets: new Map(args.datasets.map((dataset) => [dataset.name, dataset])),
    docs: new Map((args.contracts ?? []).map((contract) => [contract.name, contract])),
  };
}
