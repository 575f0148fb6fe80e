// The sandbox at validate: step SQL and `sql` gates read the project's declared sources and
// datasets only. A table function other than the pure ones (read_csv, read_text, glob, ...) is
// PIPE3011 at the call; a gate's query that is not a SELECT (ATTACH, COPY, SET, INSTALL, ...) is
// PIPE3006. At run time the warehouse refuses the same things again (docs/security.md).
import type { Issue, IssuePath } from '@pipectl/spec';
import type { LoadedProject } from '../load/load-project.js';
import type { SqlParser } from '../sql/sql-parser.js';
import {
  forbiddenTableFunctions,
  PURE_TABLE_FUNCTIONS,
  type TableFunctionCall,
} from '../sql/table-functions.js';
import { issue } from './issue-builders.js';

const THIS = /\{\{\s*this\s*\}\}/g;

/** PIPE3011 for one forbidden call, placed by `at`. */
export function tableFunctionIssue(
  call: TableFunctionCall,
  subject: string,
  place: Pick<Issue, 'file' | 'path' | 'span'>,
): Issue {
  return issue(
    'PIPE3011',
    `${subject} calls the table function ${call.name}(), which reads outside the project's declared sources`,
    place,
    {
      expected: `{{ ref('...') }}, {{ source('...') }}, or a pure table function (${[...PURE_TABLE_FUNCTIONS].join(', ')})`,
      hint: "declare the file or database as a source of the pipeline and read it with {{ source('name') }}",
    },
  );
}

interface GateQuery {
  readonly file: string;
  readonly path: IssuePath;
  readonly subject: string;
  readonly query: string;
  readonly spanAt: (offset: number) => Issue['span'];
}

/** Parses every `sql` gate of contracts and steps; reports PIPE3006 and PIPE3011 into `issues`. */
export async function checkGateQueries(
  loaded: LoadedProject,
  parser: SqlParser,
  issues: Issue[],
): Promise<void> {
  const gates: GateQuery[] = [];
  for (const contract of loaded.contracts) {
    contract.value.quality.forEach((check, index) => {
      if (check.check !== 'sql') return;
      const path = ['quality', index, 'query'];
      gates.push({
        file: contract.file,
        path,
        subject: `the sql check ${index + 1} of contract "${contract.value.name}"`,
        query: check.query,
        spanAt: (offset) => contract.sourceMap.spanInScalar(path, offset),
      });
    });
  }
  for (const pipeline of loaded.pipelines) {
    pipeline.value.steps.forEach((step, stepIndex) => {
      step.gates.forEach((check, index) => {
        if (check.check !== 'sql') return;
        const path = ['steps', stepIndex, 'gates', index, 'query'];
        gates.push({
          file: pipeline.file,
          path,
          subject: `the sql gate ${index + 1} of step "${step.name}"`,
          query: check.query,
          spanAt: (offset) => pipeline.sourceMap.spanInScalar(path, offset),
        });
      });
    });
  }
  if (gates.length === 0) return;
  // `{{ this }}` becomes a quoted name of the same length, so offsets stay the author's.
  const texts = gates.map((gate) =>
    gate.query.replace(THIS, (match) => `"${'t'.repeat(Math.max(1, match.length - 2))}"`),
  );
  const parsed = await parser.parse(texts);
  gates.forEach((gate, n) => {
    const result = parsed[n];
    const place = (offset: number) => ({ file: gate.file, path: gate.path, span: gate.spanAt(offset) });
    if (!result) return;
    if (!result.ok) {
      if (result.errorType !== 'not implemented') return; // the engine reports parse errors with the data
      issues.push(
        issue('PIPE3006', `${gate.subject} is not a SELECT: a check only reads`, place(0), {
          expected: 'one SELECT returning the failing rows; {{ this }} is the relation under test',
          hint: 'write the query as a SELECT of the failing rows',
        }),
      );
      return;
    }
    for (const call of forbiddenTableFunctions(result.statements, texts[n] as string))
      issues.push(tableFunctionIssue(call, gate.subject, place(call.offset ?? 0)));
  });
}
