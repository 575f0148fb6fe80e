// The first stage of compiling: index contracts, pipelines and producers by name, in Maps, so
// every later lookup is O(1); report duplicates and datasets produced twice on the way.
import {
  type Column,
  type ContractDocument,
  didYouMean,
  type Issue,
  type PipelineDocument,
} from '@pipectl/spec';
import type { LoadedProject } from '../load/load-project.js';
import { documentIssue } from './issue-builders.js';

/** Who writes a dataset: a step, or a source that lands it. */
export type Producer =
  | { readonly kind: 'step'; readonly pipeline: string; readonly name: string; readonly index: number }
  | { readonly kind: 'source'; readonly pipeline: string; readonly name: string; readonly index: number };

export interface ProjectIndex {
  readonly contracts: ReadonlyMap<string, ContractDocument>;
  /** Columns of each contract by lowercase name (DuckDB names are case-insensitive). */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, Column>>;
  /** First pipeline of each name; duplicates are reported and left out. */
  readonly pipelines: ReadonlyMap<string, PipelineDocument>;
  readonly producers: ReadonlyMap<string, Producer>;
  /** Contracts whose files did not load: references to them are not reported again. */
  readonly unloadedContracts: ReadonlySet<string>;
}

export function indexProject(loaded: LoadedProject, issues: Issue[]): ProjectIndex {
  const contracts = new Map<string, ContractDocument>();
  const columns = new Map<string, Map<string, Column>>();
  for (const contract of loaded.contracts) {
    const name = contract.value.name;
    const first = contracts.get(name);
    if (first) {
      issues.push(
        documentIssue(
          contract,
          'PIPE2001',
          ['name'],
          `dataset "${name}" is declared by two contracts: "${first.file}" and "${contract.file}"`,
          {
            hint: `keep one contract for "${name}", or rename this one`,
          },
        ),
      );
      continue;
    }
    contracts.set(name, contract);
    columns.set(name, new Map(contract.value.columns.map((column) => [column.name.toLowerCase(), column])));
  }

  const pipelines = new Map<string, PipelineDocument>();
  for (const pipeline of loaded.pipelines) {
    const name = pipeline.value.name;
    const first = pipelines.get(name);
    if (first) {
      issues.push(
        documentIssue(
          pipeline,
          'PIPE2002',
          ['name'],
          `pipeline "${name}" is declared twice: in "${first.file}" and "${pipeline.file}"`,
          {
            hint: 'rename one of the two pipelines',
          },
        ),
      );
      continue;
    }
    pipelines.set(name, pipeline);
  }

  const unloadedContracts = loaded.unloaded.contracts;
  const knownContract = (
    dataset: string,
    document: PipelineDocument,
    path: (string | number)[],
    what: string,
  ): void => {
    if (contracts.has(dataset) || unloadedContracts.has(dataset)) return;
    issues.push(
      documentIssue(document, 'PIPE2003', path, `${what} names contract "${dataset}", which does not exist`, {
        hint:
          didYouMean(dataset, [...contracts.keys(), ...unloadedContracts]) ??
          `add contracts/${dataset}.contract.yaml or name an existing contract`,
      }),
    );
  };

  const producers = new Map<string, Producer>();
  const produce = (
    dataset: string,
    producer: Producer,
    document: PipelineDocument,
    path: (string | number)[],
  ): void => {
    const first = producers.get(dataset);
    if (!first) {
      producers.set(dataset, producer);
      return;
    }
    issues.push(
      documentIssue(
        document,
        'PIPE2007',
        path,
        `dataset "${dataset}" is produced twice: by ${describeProducer(first)} and by ${describeProducer(producer)}`,
        {
          hint: 'each dataset has one producer: let the second read it with ref() instead, or produce another dataset',
        },
      ),
    );
  };

  for (const pipeline of pipelines.values()) {
    const { name, sources, steps } = pipeline.value;
    sources.forEach((source, index) => {
      knownContract(source.contract, pipeline, ['sources', index, 'contract'], `source "${source.name}"`);
      produce(source.contract, { kind: 'source', pipeline: name, name: source.name, index }, pipeline, [
        'sources',
        index,
        'contract',
      ]);
    });
    steps.forEach((step, index) => {
      knownContract(step.produces, pipeline, ['steps', index, 'produces'], `step "${step.name}"`);
      produce(step.produces, { kind: 'step', pipeline: name, name: step.name, index }, pipeline, [
        'steps',
        index,
        'produces',
      ]);
    });
  }

  return { contracts, columns, pipelines, producers, unloadedContracts };
}

export function describeProducer(producer: Producer): string {
  return `${producer.kind} "${producer.name}" of pipeline "${producer.pipeline}"`;
}
