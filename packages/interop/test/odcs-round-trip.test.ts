// export -> import gives back the very contract pipectl compiled, for every contract the
// repository ships (its own project and examples/*), with no warning either way.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '@pipectl/spec';
import { describe, expect, test } from 'vitest';
import { contractToOdcs, importOdcs, odcsYaml } from '../src/index.js';
import { shippedContractFiles } from './support/shipped-contracts.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('ODCS export then import', () => {
  test.each(shippedContractFiles().map((file) => relative(repoRoot, file)))(
    '%s round-trips to an identical contract',
    (file) => {
      const parsed = parseDocument(file, readFileSync(`${repoRoot}${file}`, 'utf8'));
      expect(parsed.issues).toEqual([]);
      if (parsed.document?.kind !== 'Contract') throw new Error(`${file} is not a contract`);
      const contract = parsed.document.value;

      const exported = contractToOdcs(contract, file);
      expect(exported.warnings).toEqual([]);
      const imported = importOdcs(`${contract.name}.odcs.yaml`, odcsYaml(exported.document));
      expect(imported.issues).toEqual([]);
      expect(imported.contracts).toHaveLength(1);
      expect(imported.contracts[0]?.contract).toEqual(contract);
    },
  );
});
