// Reads the before/after contract fixtures of a rule through the real loader (parseDocument).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Contract, parseDocument } from '@pipectl/spec';
import type { RuleId } from '../../src/rules/rule-catalog.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface FixturePair {
  readonly beforeText?: string;
  readonly afterText?: string;
  readonly before?: Contract;
  readonly after?: Contract;
}

/** A side is absent when its file is (DATASET_ADDED has no before, DATASET_REMOVED no after). */
export function loadFixture(rule: RuleId): FixturePair {
  const side = (name: 'before' | 'after') => {
    const file = `${FIXTURES_DIR}${rule}/${name}.contract.yaml`;
    if (!existsSync(file)) return {};
    const text = readFileSync(file, 'utf8');
    return { text, contract: parseContract(`${rule}/${name}.contract.yaml`, text) };
  };
  const before = side('before');
  const after = side('after');
  return {
    ...(before.text === undefined ? {} : { beforeText: before.text, before: before.contract }),
    ...(after.text === undefined ? {} : { afterText: after.text, after: after.contract }),
  };
}

/** Parses YAML text into a Contract, failing loudly with the loader's issues. */
export function parseContract(file: string, text: string): Contract {
  const result = parseDocument(file, text);
  if (result.document?.kind !== 'Contract') {
    throw new Error(
      `${file} is not a valid contract: ${result.issues.map((issue) => issue.message).join('; ')}`,
    );
  }
  return result.document.value;
}

/** A contract from the YAML of its columns (and other fields), with a standard header. */
export function contractYaml(body: string, header: { name?: string; version?: string } = {}): Contract {
  const text = `apiVersion: pipectl/v1
kind: Contract
name: ${header.name ?? 'sales.orders'}
version: ${header.version ?? '1.0.0'}
owner: sales-data@example.com
${dedent(body)}`;
  return parseContract('inline.contract.yaml', text);
}

/** Removes the common indentation of a template literal, so YAML can be indented with the test. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return `${lines.map((line) => line.slice(indent)).join('\n')}\n`;
}
