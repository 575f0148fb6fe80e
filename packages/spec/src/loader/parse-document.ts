// Reads one YAML document into a typed Contract, Pipeline or Project, collecting every problem as
// a located Issue instead of stopping at the first. Pure: takes text, returns data.
import { isScalar, LineCounter, parseAllDocuments, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from '../issues/did-you-mean.js';
import { formatIssuePath, type Issue, type IssuePath, sortIssues } from '../issues/issue.js';
import { type Contract, contractSchema } from '../schema/contract.js';
import { type Pipeline, pipelineSchema } from '../schema/pipeline.js';
import { type Project, projectSchema } from '../schema/project.js';
import { contractRules, pipelineRules, projectRules, usableDocumentRules } from './document-rules.js';
import { fastParse } from './fast-parse.js';
import { describeValue, lowerFirst, schemaIssues } from './schema-issues.js';
import { firstWithContent, SourceMap } from './source-map.js';
import { findEncodingProblem } from './text-encoding.js';

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
  /** Present when the document is valid enough to use: no errors, or only ones that leave it usable (PIPE1016-PIPE1018). */
  readonly document?: PipectlDocument;
  readonly issues: readonly Issue[];
}

const SCHEMAS: Record<DocumentKind, z.ZodType> = {
  Contract: contractSchema,
  Pipeline: pipelineSchema,
  Project: projectSchema,
};

/**
 * Parses and validates one pipectl YAML file. Never throws: every problem, from a YAML syntax
 * error to a misspelt key, comes back as an issue with its place.
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
  const emptyFile = (): ParseResult => ({
    issues: [
      at('PIPE1002', isBlank(text) ? 'the file is empty' : 'the file has no YAML content, only comments', {
        span: { line: 1, col: 1, endLine: 1, endCol: 1, offset: 0 },
        expected: 'a document with apiVersion and kind',
        hint: 'start with `apiVersion: pipectl/v1` and `kind: Contract` (or Pipeline, Project)',
      }),
    ],
  });

  const encoding = findEncodingProblem(file, text);
  if (encoding) return { issues: [encoding] };
  if (onlyCommentsOrBlank(text)) return emptyFile();

  const read = fastRead(text) ?? exactRead(text, at, emptyFile);
  if ('issues' in read) return read;
  const { data, sourceMap } = read;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      issues: [
        at('PIPE1003', `expected a mapping with apiVersion and kind, found ${describeValue(data)}`, {
          span: sourceMap.spanOf([]),
          expected: 'kind: Contract | Pipeline | Project',
          hint: 'a pipectl document is a mapping: start with `apiVersion: pipectl/v1` and `kind: Contract`',
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
            : `unknown kind ${JSON.stringify(kind)}: not a Contract, Pipeline or Project`,
          {
            path: ['kind'],
            span: kind === undefined ? sourceMap.spanOf([]) : sourceMap.spanOf(['kind']),
            expected: 'kind: Contract | Pipeline | Project',
            ...(hint
              ? { hint }
              : { hint: 'add `apiVersion: pipectl/v1` and `kind: Contract` (or Pipeline, Project)' }),
          },
        ),
      ],
    };
  }

  const documentKind = kind as DocumentKind;
  const schema = SCHEMAS[documentKind];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return { issues: sortIssues(schemaIssues(parsed.error.issues, schema, data, sourceMap, file)) };
  }

  const document = { kind: documentKind, file, value: parsed.data, sourceMap } as PipectlDocument;
  const ruleIssues =
    document.kind === 'Contract'
      ? contractRules(document.value, file, sourceMap)
      : document.kind === 'Pipeline'
        ? pipelineRules(document.value, file, sourceMap)
        : projectRules(document.value, file, sourceMap);
  const suffixIssue = fileNameIssue(documentKind, file, sourceMap);
  const issues = sortIssues(suffixIssue ? [...ruleIssues, suffixIssue] : ruleIssues);
  if (issues.some((issue) => issue.severity === 'error')) return { issues };
  return { document, issues: sortIssues([...issues, ...usableDocumentRules(document, sourceMap)]) };
}

/** The data and a map of places of a file, or the issues that stop it being read. */
type Read = { readonly data: unknown; readonly sourceMap: SourceMap } | ParseResult;

/** Most files: read fast, with places worked out only if an issue needs one (fast-parse.ts). */
function fastRead(text: string): Read | undefined {
  const fast = fastParse(text);
  return fast && { data: fast.value, sourceMap: SourceMap.fromText(text, fast.value) };
}

/** Files the fast reader leaves alone: read into a position-keeping document, errors located. */
function exactRead(
  text: string,
  at: (code: string, message: string, extra?: Partial<Issue>) => Issue,
  emptyFile: () => ParseResult,
): Read {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const allDocs = Array.isArray(docs) ? docs : [docs];
  // A lone `---` before or after the document is harmless; only documents with content count.
  const withContent = allDocs.filter((doc) => !isEmptyNode(doc.contents) || doc.errors.length > 0);
  const first = firstWithContent(allDocs);
  if (!first) return emptyFile();
  const sourceMap = new SourceMap(first, lineCounter, text);

  const syntax: Issue[] = [];
  const linesWithError = new Set<number>();
  for (const doc of withContent) {
    for (const error of doc.errors) {
      const issue = yamlErrorToIssue(error, text, lineCounter, sourceMap, at);
      // One error per line: the rest are usually echoes of the first.
      if (issue.span && linesWithError.has(issue.span.line)) continue;
      if (issue.span) linesWithError.add(issue.span.line);
      syntax.push(issue);
    }
  }
  if (syntax.length > 0) return { issues: syntax };
  if (withContent.length > 1) {
    const second = withContent[1]?.range?.[0] ?? 0;
    const separator = text.lastIndexOf('---', second);
    const offset = separator >= 0 && separator <= second ? separator : second;
    const pos = lineCounter.linePos(offset);
    return {
      issues: [
        at(
          'PIPE1012',
          `the file holds ${withContent.length} YAML documents; pipectl reads one document per file`,
          {
            span: { line: pos.line, col: pos.col, endLine: pos.line, endCol: pos.col + 3, offset },
            hint: 'move each document after a `---` into its own file',
          },
        ),
      ],
    };
  }
  if (isEmptyNode(first.contents)) return emptyFile();

  let data: unknown;
  try {
    data = first.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // toJS throws on unresolved aliases and on alias "billion laughs" expansions.
    return { issues: [aliasIssue((error as Error).message, text, lineCounter, sourceMap, at)] };
  }
  return { data, sourceMap };
}

/** No node at all, or the empty null a bare `---` leaves (unlike an explicit `~` or `null`). */
function isEmptyNode(node: unknown): boolean {
  return node === null || (isScalar(node) && node.value === null && node.source === '');
}

function aliasIssue(
  message: string,
  text: string,
  lineCounter: LineCounter,
  sourceMap: SourceMap,
  at: (code: string, message: string, extra?: Partial<Issue>) => Issue,
): Issue {
  const unresolved = /^Unresolved alias[^:]*: (.+)$/.exec(firstLine(message))?.[1];
  if (unresolved === undefined) {
    return at(
      'PIPE1001',
      /resource exhaustion/i.test(message)
        ? 'the file expands too many YAML aliases (*name)'
        : lowerFirst(firstLine(message)),
      {
        span: sourceMap.spanOf([]),
        hint: 'use YAML anchors (&name) and aliases (*name) sparingly, or write the values out',
      },
    );
  }
  const offset = Math.max(0, text.indexOf(`*${unresolved}`));
  const pos = lineCounter.linePos(offset);
  return at('PIPE1001', `the alias *${unresolved} refers to no anchor`, {
    path: sourceMap.pathAtOffset(offset),
    span: {
      line: pos.line,
      col: pos.col,
      endLine: pos.line,
      endCol: pos.col + unresolved.length + 1,
      offset,
    },
    hint: `mark the value to repeat with &${unresolved} before this alias, or write the value out`,
  });
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** Line by line, so it stays linear on any input (a single regex over the text can backtrack). */
function onlyCommentsOrBlank(text: string): boolean {
  return text.split('\n').every((line) => /^\s*(#.*)?$/.test(line));
}

const YAML_HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces: YAML does not allow tabs for indentation',
  BAD_INDENT: 'check the indentation: keys of one mapping, and items of one list, start in the same column',
  MULTILINE_IMPLICIT_KEY:
    'a key must fit on one line: look for a missing ":", a stray line or an unclosed quote',
  BLOCK_AS_IMPLICIT_KEY: 'quote a value that contains ": ", e.g. description: "a: b", or fix the indentation',
  BAD_SCALAR_START: 'put the value in quotes',
  BAD_DQ_ESCAPE: 'write a backslash as \\\\ in double quotes, or use single quotes',
  UNEXPECTED_TOKEN: 'check the indentation and the "-" and ":" around this place',
};

function yamlErrorToIssue(
  error: YAMLError,
  text: string,
  lineCounter: LineCounter,
  sourceMap: SourceMap,
  at: (code: string, message: string, extra?: Partial<Issue>) => Issue,
): Issue {
  let [start, end] = error.pos;
  let message = lowerFirst(firstLine(error.message));
  let hint = YAML_HINTS[error.code];
  let code = 'PIPE1001';
  let path: IssuePath = [];

  if (error.code === 'DUPLICATE_KEY') {
    code = 'PIPE1008';
    path = sourceMap.pathAtOffset(start);
    const key = path[path.length - 1];
    const parent = formatIssuePath(path.slice(0, -1));
    message =
      key === undefined
        ? 'a key appears twice in the same mapping'
        : `key ${JSON.stringify(key)} appears twice${parent === '' ? ' at the top level' : ` in ${parent}`}`;
    hint = 'keep one of the two keys';
  }
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (error.code === 'MISSING_CHAR' && quote) {
    // yaml reports the end of the file; the opening quote is the useful place.
    const opening = openingQuote(text, quote, start);
    if (opening >= 0) [start, end] = [opening, opening + 1];
    message = `a ${quote === '"' ? 'double' : 'single'}-quoted string is never closed`;
    hint = `add the closing ${quote} at the end of the value`;
  }

  const pos = lineCounter.linePos(start);
  const endPos = lineCounter.linePos(Math.max(start, end));
  return at(code, message, {
    path,
    span: { line: pos.line, col: pos.col, endLine: endPos.line, endCol: endPos.col, offset: start },
    ...(hint ? { hint } : {}),
  });
}

/** The quote that opens a string left unclosed at `before`, skipping escaped quotes inside it. */
function openingQuote(text: string, quote: string, before: number): number {
  let i = text.lastIndexOf(quote, before - 1);
  while (i > 0) {
    if (quote === "'" && text[i - 1] === "'") {
      i = text.lastIndexOf(quote, i - 2);
      continue;
    }
    if (quote === '"') {
      let slashes = 0;
      while (text[i - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 1) {
        i = text.lastIndexOf(quote, i - 1);
        continue;
      }
    }
    break;
  }
  return i;
}

function fileNameIssue(kind: DocumentKind, file: string, sourceMap: SourceMap): Issue | undefined {
  const expected =
    kind === 'Contract' ? '.contract.yaml' : kind === 'Pipeline' ? '.pipeline.yaml' : undefined;
  const base = file.replaceAll('\\', '/').split('/').pop() ?? file;
  if (!expected || base.endsWith(expected) || base.endsWith(expected.replace('.yaml', '.yml')))
    return undefined;
  if (!/\.(contract|pipeline)\.ya?ml$/.test(base)) return undefined;
  return {
    code: 'PIPE1014',
    severity: 'warning',
    message: `a ${kind} in a file named "${base}"`,
    file,
    path: ['kind'],
    span: sourceMap.spanOf(['kind']),
    expected: `a file name ending in ${expected}`,
    hint: `rename the file to end in ${expected}`,
  };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
