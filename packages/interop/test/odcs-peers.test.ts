// The peers judge pipectl's ODCS: every exported contract passes `datacontract lint` (datacontract-cli)
// and loads into the ODCS pydantic model (open-data-contract-standard), as do the ODCS fixtures this
// package imports. A broken file fails the same judges, so a pass means something.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '@pipectl/spec';
import { afterAll, describe, expect, test } from 'vitest';
import { pythonToolsSkipReason, runPythonTool } from '../../../test-support/python-tools.js';
import { contractToOdcs, odcsYaml } from '../src/index.js';
import { shippedContractFiles } from './support/shipped-contracts.js';

const skip = pythonToolsSkipReason();
const judge = fileURLToPath(new URL('./support/odcs_judge.py', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/odcs/', import.meta.url));

interface Verdict {
  lint: {
    exit: number;
    result: string | null;
    checks: { result: string; name: string; reason: string | null }[];
  };
  model: string;
}

async function judgeFiles(files: readonly string[]): Promise<Record<string, Verdict>> {
  const run = await runPythonTool('python', [judge, ...files]);
  if (run.code !== 0) throw new Error(`the ODCS judge failed (exit ${run.code}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, Verdict>;
}

const scratch = mkdtempSync(join(tmpdir(), 'pipectl-odcs-peers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(skip !== undefined)(
  `ODCS judged by datacontract-cli and the ODCS model${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    test('every exported contract passes datacontract lint and loads into the ODCS model', async () => {
      const exported = shippedContractFiles().map((file) => {
        const parsed = parseDocument(file, readFileSync(file, 'utf8'));
        if (parsed.document?.kind !== 'Contract') throw new Error(`${file} is not a contract`);
        const out = join(scratch, `${parsed.document.value.name}.odcs.yaml`);
        writeFileSync(out, odcsYaml(contractToOdcs(parsed.document.value).document));
        return out;
      });
      const broken = join(scratch, 'broken.odcs.yaml');
      writeFileSync(
        broken,
        'apiVersion: v3.2.0\nkind: DataContract\nversion: 1.0.0\nschema: [{ properties: [] }]\n',
      );

      const verdicts = await judgeFiles([...exported, broken]);
      for (const file of exported) {
        expect(verdicts[file]?.lint, file).toMatchObject({ exit: 0, result: 'passed' });
        expect(
          verdicts[file]?.lint.checks.filter((check) => check.result !== 'passed'),
          file,
        ).toEqual([]);
        expect(verdicts[file]?.model, file).toBe('loaded');
      }
      expect(verdicts[broken]?.lint.result).toBe('failed');
    });

    test("the ODCS fixtures pipectl imports are valid ODCS to datacontract-cli's lint and the model", async () => {
      const files = readdirSync(fixtures).map((name) => join(fixtures, name));
      expect(files.length).toBeGreaterThanOrEqual(3);
      const verdicts = await judgeFiles(files);
      for (const file of files) {
        expect(verdicts[file]?.lint, file).toMatchObject({ exit: 0, result: 'passed' });
        expect(verdicts[file]?.model, file).toBe('loaded');
      }
    });
  },
);
