// Reads one YAML document into a typed Contract, Pipeline or Project, collecting every problem as
// a located Issue instead of stopping at the first. Pure: takes text, returns data.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from '../issues/did-you-mean.js';
import type { Issue, IssuePath } from '../issues/issue.js';
import { type Contract, contractSchema } from '../schema/contract.js';
import { type Pipeline, pipelineSchema } from '../schema/pipeline.js';
import { type Project, projectSchema } from '../schema/project.js';
import { contractRules, pipelineRules } from './document-rules.js';
import { discriminatorAt, knownKeysAt } from './schema-walk.js';
import { SourceMap } from './source-map.js';

export const DOCUMENT_KINDS = ['Contract', 'Pipeline', 'Project'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

interface DocumentOf<K extends DocumentKind, T> {
  readonly kind: K;
  /** The file as given to the parser (project-relative in a project). */
  readonly file: string;
  readonly value: T;
  /** Maps paths in this document to positions, for issues found later (compiler, SQL). */
  readonly sourceMap: SourceMap;
}

export type ContractDocument = DocumentOf<'Contract', Contract>;
export type PipelineDocument = DocumentOf<'Pipeline', Pipeline>;
export type ProjectDocument = DocumentOf<'Project', Project>;
export type PipectlDocument = ContractDocument | PipelineDocument | ProjectDocument;

export interface ParseResult {
  /** Present when the document is valid enough to use (no errors). */
  readonly document?: PipectlDocument;
  readonly issues: readonly Issue[];
}

const SCHEMAS: Record<DocumentKind, z.ZodType> = {
  Contract: contractSchema,
  Pipeline: pipelineSchema,
  Project: projectSchema,
};

/**
 * Parses and validates one pipectl YAML file.
 * @example parseDocument('contracts/orders.contract.yaml', text).issues // [] when valid
 */
export function parseDocument(file: string, text: string): ParseResult {
  const at = (code: string, message: string, extra: Partial<Issue> = {}): Issue => ({
    code,
    severity: 'error',
    message,
    file,
    path: [],
    ...extra,
  });

  if (text.trim() === '' || /^(\s*#[^\n]*\n?|\s*\n)*\s*$/.test(text)) {
    return {
      issues: [
        at('PIPE1002', 'the file is empty', {
          span: { line: 1, col: 1, endLine: 1, endCol: 1, offset: 0 },
          expected: 'a document with apiVersion and kind',
        }),
      ],
    };
  }

  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(documents) ? documents : [documents];
  const first = docs[0];
  if (!first) return { issues: [at('PIPE1002', 'the file is empty')] };
  const sourceMap = new SourceMap(first, lineCounter, text);

  const syntax: Issue[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      const end = lineCounter.linePos(error.pos[1]);
      const duplicate = error.code === 'DUPLICATE_KEY';
      syntax.push(
        at(duplicate ? 'PIPE1008' : 'PIPE1001', duplicate ? 'a key appears twice in the same mapping' : firstLine(error.message), {
          span: { line: pos.line, col: pos.col, endLine: end.line, endCol: end.col, offset: error.pos[0] },
          ...(duplicate ? { hint: 'keep one of the two keys' } : {}),
        }),
      );
    }
  }
  if (syntax.length > 0) return { issues: syntax };
  if (docs.length > 1) {
    const second = docs[1]?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(second);
    return {
      issues: [
        at('PIPE1012', `the file holds ${docs.length} YAML documents; pipectl reads one document per file`, {
          span: { line: pos.line, col: pos.col, endLine: pos.line, endCol: pos.col, offset: second },
          hint: 'move each document after a `---` into its own file',
        }),
      ],
    };
  }

  const data: unknown = first.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      issues: [
        at('PIPE1003', `expected a mapping with apiVersion and kind, found ${describeValue(data)}`, {
          span: sourceMap.spanOf([]),
          expected: 'kind: Contract | Pipeline | Project',
        }),
      ],
    };
  }
  const kind = (data as Record<string, unknown>).kind;
  if (typeof kind !== 'string' || !(DOCUMENT_KINDS as readonly string[]).includes(kind)) {
    const hint = typeof kind === 'string' ? didYouMean(kind, DOCUMENT_KINDS) : undefined;
    return {
      issues: [
        at(
          'PIPE1003',
          kind === undefined
            ? 'this is not a pipectl document: it has no `kind`'
            : `unknown kind ${JSON.stringify(kind)}: not a contract, pipeline or project`,
          {
            path: ['kind'],
            span: kind === undefined ? sourceMap.spanOf([]) : sourceMap.spanOf(['kind']),
            expected: 'kind: Contract | Pipeline | Project',
            ...(hint ? { hint } : { hint: 'add `apiVersion: pipectl/v1` and `kind: Contract` (or Pipeline, Project)' }),
          },
        ),
      ],
    };
  }

  const documentKind = kind as DocumentKind;
  const schema = SCHEMAS[documentKind];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => zodIssueToIssues(issue, schema, data, sourceMap, file));
    return { issues: dedupe(issues) };
  }

  const document = { kind: documentKind, file, value: parsed.data, sourceMap } as PipectlDocument;
  const ruleIssues =
    document.kind === 'Contract'
      ? contractRules(document.value, file, sourceMap)
      : document.kind === 'Pipeline'
        ? pipelineRules(document.value, file, sourceMap)
        : [];
  const suffixIssue = fileNameIssue(documentKind, file);
  const issues = suffixIssue ? [...ruleIssues, suffixIssue] : ruleIssues;
  return issues.some((issue) => issue.severity === 'error') ? { issues } : { document, issues };
}

function fileNameIssue(kind: DocumentKind, file: string): Issue | undefined {
  const expected = kind === 'Contract' ? '.contract.yaml' : kind === 'Pipeline' ? '.pipeline.yaml' : undefined;
  const base = file.replaceAll('\\', '/').split('/').pop() ?? file;
  if (!expected || base.endsWith(expected) || base.endsWith(expected.replace('.yaml', '.yml'))) return undefined;
  if (!/\.(contract|pipeline)\.ya?ml$/.test(base)) return undefined;
  return {
    code: 'PIPE1014',
    severity: 'warning',
    message: `a ${kind} in a file named "${base}"`,
    file,
    path: ['kind'],
    expected: `a file name ending in ${expected}`,
    hint: `rename the file to end in ${expected}`,
  };
}

type ZodIssue = z.core.$ZodIssue;

function zodIssueToIssues(issue: ZodIssue, schema: z.ZodType, data: unknown, sourceMap: SourceMap, file: string): Issue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const base = { severity: 'error' as const, file, path };
  const valueAt = getIn(data, path);

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const known = knownKeysAt(schema, data, path);
        const hint = didYouMean(key, known);
        return {
          ...base,
          code: 'PIPE1004',
          path: [...path, key],
          span: sourceMap.keySpanOf([...path, key]),
          message: `unknown key ${JSON.stringify(key)}${where(path)}`,
          ...(known.length > 0 ? { expected: `one of: ${known.join(', ')}` } : {}),
          ...(hint ? { hint } : {}),
        };
      });
    case 'invalid_type': {
      if (valueAt === undefined) {
        const field = path[path.length - 1];
        return [
          {
            ...base,
            code: 'PIPE1006',
            span: sourceMap.spanOf(path),
            message: `missing required field ${JSON.stringify(field)}${where(path.slice(0, -1))}`,
            expected: `${field}: <${issue.expected}>`,
          },
        ];
      }
      return [
        {
          ...base,
          code: 'PIPE1005',
          span: sourceMap.spanOf(path),
          message: `${fieldLabel(path)} must be ${article(issue.expected)}, found ${describeValue(valueAt)}`,
          expected: issue.expected,
          ...(issue.expected === 'string' && valueAt !== null && typeof valueAt !== 'object'
            ? { hint: "put the value in quotes so YAML reads it as a string" }
            : {}),
        },
      ];
    }
    case 'invalid_union': {
      // zod reports a bad discriminator either at the object or at the discriminator key itself.
      const last = path[path.length - 1];
      const atKey = typeof last === 'string' && discriminatorAt(schema, data, path.slice(0, -1))?.key === last;
      const objectPath = atKey ? path.slice(0, -1) : path;
      const disc = discriminatorAt(schema, data, objectPath);
      if (disc) {
        const objectValue = getIn(data, objectPath);
        const tag = (objectValue as Record<string, unknown> | undefined)?.[disc.key];
        const tagPath = [...objectPath, disc.key];
        if (tag === undefined) {
          return [
            {
              ...base,
              code: 'PIPE1006',
              path: objectPath,
              span: sourceMap.spanOf(objectPath),
              message: `missing required field ${JSON.stringify(disc.key)}${where(objectPath)}`,
              expected: `${disc.key}: ${disc.values.join(' | ')}`,
            },
          ];
        }
        const hint = typeof tag === 'string' ? didYouMean(tag, disc.values) : undefined;
        return [
          {
            ...base,
            code: 'PIPE1007',
            path: tagPath,
            span: sourceMap.spanOf(tagPath),
            message: `unknown ${disc.key} ${JSON.stringify(tag)}${where(objectPath)}`,
            expected: `one of: ${disc.values.join(', ')}`,
            ...(hint ? { hint } : {}),
          },
        ];
      }
      // A plain union (e.g. number or percentage): report the first branch's complaint.
      const firstBranch = issue.errors[0];
      if (firstBranch?.[0]) {
        return zodIssueToIssues({ ...firstBranch[0], path: [...issue.path, ...firstBranch[0].path] }, schema, data, sourceMap, file);
      }
      return [{ ...base, code: 'PIPE1007', span: sourceMap.spanOf(path), message: `${fieldLabel(path)} has an invalid value` }];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      const hint = typeof valueAt === 'string' ? didYouMean(valueAt, allowed) : undefined;
      return [
        {
          ...base,
          code: 'PIPE1007',
          span: sourceMap.spanOf(path),
          message: `${fieldLabel(path)} is ${JSON.stringify(valueAt)}`,
          expected: allowed.length === 1 ? JSON.stringify(issue.values[0]) : `one of: ${allowed.join(', ')}`,
          ...(hint ? { hint } : {}),
        },
      ];
    }
    default:
      return [
        {
          ...base,
          code: 'PIPE1007',
          span: sourceMap.spanOf(path),
          message: `${fieldLabel(path)} is ${valueAt === undefined ? 'invalid' : JSON.stringify(valueAt)}: ${issue.message}`,
        },
      ];
  }
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code}|${issue.path.join('.')}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function getIn(value: unknown, path: IssuePath): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

function where(path: IssuePath): string {
  if (path.length === 0) return '';
  const last = path[path.length - 1];
  return typeof last === 'number' ? ` in ${String(path[path.length - 2] ?? 'item')}[${last}]` : ` in ${String(last)}`;
}

function fieldLabel(path: IssuePath): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the document';
  return typeof last === 'number' ? `item ${last} of ${String(path[path.length - 2])}` : `"${last}"`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
