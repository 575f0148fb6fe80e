// zod's issues -> pipectl issues: each complaint of the schema said in the words of YAML (mapping,
// list, string), placed at `file:line:col` through the source map, with what was expected and a
// fix (`did you mean ...?`, `put the value in quotes`). Used by parseDocument after validation.
import type { z } from 'zod';
import { didYouMean } from '../issues/did-you-mean.js';
import { formatIssuePath, type Issue, type IssuePath } from '../issues/issue.js';
import { discriminatorAt, knownKeysAt } from './schema-walk.js';
import type { SourceMap } from './source-map.js';

type ZodIssue = z.core.$ZodIssue;

type IssueBase = { severity: 'error'; file: string; path: IssuePath };

/** One zod issue being mapped: the document, its schema and places, and the value at the issue's path. */
interface IssueContext {
  readonly schema: z.ZodType;
  readonly data: unknown;
  readonly sourceMap: SourceMap;
  readonly file: string;
  readonly path: IssuePath;
  readonly base: IssueBase;
  readonly valueAt: unknown;
}

/** The issues of a document that failed its schema, one or more per zod issue, without repeats. */
export function schemaIssues(
  issues: readonly ZodIssue[],
  schema: z.ZodType,
  data: unknown,
  sourceMap: SourceMap,
  file: string,
): Issue[] {
  return dedupe(issues.flatMap((issue) => zodIssueToIssues(issue, schema, data, sourceMap, file)));
}

/** One zod issue as pipectl issues. */
function zodIssueToIssues(
  issue: ZodIssue,
  schema: z.ZodType,
  data: unknown,
  sourceMap: SourceMap,
  file: string,
): Issue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const context: IssueContext = {
    schema,
    data,
    sourceMap,
    file,
    path,
    base: { severity: 'error', file, path },
    valueAt: getIn(data, path),
  };
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKeyIssue(key, context));
    case 'invalid_type': {
      const expected = yamlTypeName(issue.expected);
      if (context.valueAt === undefined)
        return [
          missingField(context, path[path.length - 1], `${String(path[path.length - 1])}: <${expected}>`),
        ];
      return [wrongType(context.base, sourceMap, path, [expected], context.valueAt)];
    }
    case 'invalid_union':
      return invalidUnionIssues(issue, context);
    case 'invalid_value':
      return [invalidValueIssue(issue, context)];
    case 'too_small':
    case 'too_big':
      return [
        {
          ...context.base,
          code: 'PIPE1007',
          span: sourceMap.spanOf(path),
          message: sizeMessage(issue, path, context.valueAt),
        },
      ];
    case 'invalid_format':
      return [invalidFormatIssue(issue, context)];
    default:
      return [
        {
          ...context.base,
          code: 'PIPE1007',
          span: sourceMap.spanOf(path),
          message: `${fieldLabel(path)} is ${context.valueAt === undefined ? 'invalid' : describeValue(context.valueAt)}: ${lowerFirst(issue.message)}`,
        },
      ];
  }
}

/** PIPE1006: the field at the issue's path is missing. */
function missingField(context: IssueContext, field: string | number | undefined, expected: string): Issue {
  const { path } = context;
  return {
    ...context.base,
    code: 'PIPE1006',
    span: context.sourceMap.spanOf(path),
    message: `missing required field ${JSON.stringify(field)}${where(path.slice(0, -1))}`,
    expected,
    hint: `add \`${String(field)}:\`${where(path.slice(0, -1))}`,
  };
}

/** PIPE1004: a key the schema does not know, with the keys it does and the nearest one. */
function unknownKeyIssue(key: string, context: IssueContext): Issue {
  const { path } = context;
  const known = knownKeysAt(context.schema, context.data, path);
  const hint = didYouMean(key, known);
  return {
    ...context.base,
    code: 'PIPE1004',
    path: [...path, key],
    span: context.sourceMap.keySpanOf([...path, key]),
    message: `unknown key ${JSON.stringify(key)}${where(path)}`,
    ...(known.length > 0 ? { expected: `one of: ${known.join(', ')}` } : {}),
    hint: hint ?? (known.length > 0 ? `remove it, or use one of the keys listed` : 'remove it'),
  };
}

/** A union that failed: a discriminated one by its tag, a plain one by the branch that came closest. */
function invalidUnionIssues(issue: z.core.$ZodIssueInvalidUnion, context: IssueContext): Issue[] {
  const { schema, data, path } = context;
  // zod reports a bad discriminator either at the object or at the discriminator key itself.
  const last = path[path.length - 1];
  const atKey = typeof last === 'string' && discriminatorAt(schema, data, path.slice(0, -1))?.key === last;
  const objectPath = atKey ? path.slice(0, -1) : path;
  const disc = discriminatorAt(schema, data, objectPath);
  const objectValue = getIn(data, objectPath);
  if (disc && objectValue !== null && typeof objectValue === 'object' && !Array.isArray(objectValue))
    return [discriminatorIssue(disc, objectValue as Record<string, unknown>, objectPath, context)];
  if (disc)
    return [
      wrongType(
        { ...context.base, path: objectPath },
        context.sourceMap,
        objectPath,
        ['mapping'],
        objectValue,
      ),
    ];
  return plainUnionIssues(
    issue,
    schema,
    data,
    context.sourceMap,
    context.file,
    context.base,
    context.valueAt,
  );
}

/** A discriminated union's tag (`kind`, `check`) missing (PIPE1006) or not one of its values (PIPE1007). */
function discriminatorIssue(
  disc: { key: string; values: readonly string[] },
  objectValue: Record<string, unknown>,
  objectPath: IssuePath,
  context: IssueContext,
): Issue {
  const { base, sourceMap } = context;
  const tag = objectValue[disc.key];
  const tagPath = [...objectPath, disc.key];
  if (tag === undefined)
    return {
      ...base,
      code: 'PIPE1006',
      path: objectPath,
      span: sourceMap.spanOf(objectPath),
      message: `missing required field ${JSON.stringify(disc.key)}${where(objectPath)}`,
      expected: `${disc.key}: ${disc.values.join(' | ')}`,
      hint: `add \`${disc.key}:\` with one of: ${disc.values.join(', ')}`,
    };
  const hint = typeof tag === 'string' ? didYouMean(tag, disc.values) : undefined;
  return {
    ...base,
    code: 'PIPE1007',
    path: tagPath,
    span: sourceMap.spanOf(tagPath),
    message: `unknown ${disc.key} ${typeof tag === 'string' ? JSON.stringify(tag) : describeValue(tag)}${where(objectPath)}`,
    expected: `one of: ${disc.values.join(', ')}`,
    ...(hint ? { hint } : {}),
  };
}

/** A value not among the allowed ones (PIPE1007, with the nearest), or missing (PIPE1006). */
function invalidValueIssue(issue: z.core.$ZodIssueInvalidValue, context: IssueContext): Issue {
  const { path, valueAt } = context;
  if (valueAt === undefined) {
    const field = path[path.length - 1];
    return missingField(
      context,
      field,
      `${String(field)}: ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}`,
    );
  }
  const allowed = issue.values.map((v) => String(v));
  const hint = typeof valueAt === 'string' ? didYouMean(valueAt, allowed) : undefined;
  const single = issue.values.length === 1;
  const last = path[path.length - 1];
  return {
    ...context.base,
    code: 'PIPE1007',
    span: context.sourceMap.spanOf(path),
    message:
      single || typeof last !== 'string' || typeof valueAt !== 'string'
        ? `${fieldLabel(path)} must be ${single ? JSON.stringify(issue.values[0]) : `one of ${allowed.join(', ')}`}, found ${describeValue(valueAt)}`
        : `unknown ${last} ${JSON.stringify(valueAt)}${where(path.slice(0, -1))}`,
    expected: single ? JSON.stringify(issue.values[0]) : `one of: ${allowed.join(', ')}`,
    ...(hint ? { hint } : {}),
  };
}

/** A string that does not match its format (PIPE1007), with its lowercase spelling when that would. */
function invalidFormatIssue(issue: z.core.$ZodIssueInvalidStringFormat, context: IssueContext): Issue {
  const { path, valueAt } = context;
  const suggestion = formatSuggestion(issue, valueAt);
  return {
    ...context.base,
    code: 'PIPE1007',
    span: context.sourceMap.spanOf(path),
    message: `invalid ${valueLabel(path)} ${describeValue(valueAt).replace(/^the string /, '')}${where(path.slice(0, -1))}: ${issue.message}`,
    ...(suggestion ? { hint: `did you mean ${JSON.stringify(suggestion)}?` } : {}),
  };
}

/** PIPE1005: a value of the wrong type, with how to write the right one when that is simple. */
function wrongType(
  base: IssueBase,
  sourceMap: SourceMap,
  path: IssuePath,
  expected: string[],
  value: unknown,
): Issue {
  const wanted = [...new Set(expected)];
  const quoteHint =
    wanted.includes('string') && value !== null && typeof value !== 'object'
      ? { hint: 'put the value in quotes so YAML reads it as a string' }
      : wanted.length === 1 && wanted[0] === 'boolean'
        ? { hint: 'write true or false, without quotes' }
        : wanted.length === 1 && wanted[0] === 'list' && value !== null && typeof value !== 'object'
          ? { hint: `write a list, e.g. [${String(value)}]` }
          : {};
  return {
    ...base,
    code: 'PIPE1005',
    span: sourceMap.spanOf(path),
    message: `${fieldLabel(path)} must be ${wanted.map(article).join(' or ')}, found ${describeValue(value)}`,
    expected: wanted.join(' or '),
    ...quoteHint,
  };
}

/**
 * A plain union (a number or a percentage string, a number or a date string): when the value has
 * none of the union's types, say which types are allowed; otherwise report the complaint of the
 * branch whose type matched.
 */
function plainUnionIssues(
  issue: z.core.$ZodIssueInvalidUnion,
  schema: z.ZodType,
  data: unknown,
  sourceMap: SourceMap,
  file: string,
  base: IssueBase,
  valueAt: unknown,
): Issue[] {
  const branches = issue.errors;
  const typeOnly = (branch: readonly ZodIssue[]) =>
    branch.length > 0 && branch.every((sub) => sub.code === 'invalid_type' && sub.path.length === 0);
  const closer = branches.find((branch) => branch.length > 0 && !typeOnly(branch));
  if (closer) {
    return closer.flatMap((sub) =>
      zodIssueToIssues(
        { ...sub, path: [...issue.path, ...sub.path] } as ZodIssue,
        schema,
        data,
        sourceMap,
        file,
      ),
    );
  }
  const expected = branches.flatMap((branch) =>
    branch.flatMap((sub) => (sub.code === 'invalid_type' ? [yamlTypeName(sub.expected)] : [])),
  );
  if (valueAt === undefined) {
    const field = base.path[base.path.length - 1];
    return [
      {
        ...base,
        code: 'PIPE1006',
        span: sourceMap.spanOf(base.path),
        message: `missing required field ${JSON.stringify(field)}${where(base.path.slice(0, -1))}`,
        expected: `${String(field)}: <${[...new Set(expected)].join(' | ')}>`,
      },
    ];
  }
  if (expected.length > 0) return [wrongType(base, sourceMap, base.path, expected, valueAt)];
  return [
    {
      ...base,
      code: 'PIPE1007',
      span: sourceMap.spanOf(base.path),
      message: `${fieldLabel(base.path)} has an invalid value`,
    },
  ];
}

/** A list, string or number out of its bounds, said with what was found. */
function sizeMessage(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  path: IssuePath,
  value: unknown,
): string {
  const label = fieldLabel(path);
  // Our own messages (`a contract needs at least one column`) say it best; zod's defaults do not.
  const custom = !/^Too (small|big)/.test(issue.message);
  if (issue.origin === 'array') return listSizeMessage(issue, label, custom, value);
  if (custom) return `${label} is ${describeValue(value)}: ${issue.message}`;
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (small && bound === 1) return `${label} must not be empty`;
    return `${label} must have ${small ? 'at least' : 'at most'} ${bound} character${bound === 1 ? '' : 's'}, found ${describeValue(value)}`;
  }
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  return `${label} must be ${relation} ${bound}, found ${typeof value === 'number' ? value : describeValue(value)}`;
}

/** A list with too few or too many items: how many it has, and our message or the bound. */
function listSizeMessage(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  label: string,
  custom: boolean,
  value: unknown,
): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const found =
    Array.isArray(value) && value.length === 0
      ? 'is empty'
      : `has ${Array.isArray(value) ? value.length : 0} items`;
  return custom
    ? `${label} ${found}: ${issue.message}`
    : `${label} ${found}; it needs ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
}

/** For lowercase-only patterns (dataset and step names), the lowercase spelling if it would pass. */
function formatSuggestion(issue: z.core.$ZodIssueInvalidStringFormat, value: unknown): string | undefined {
  if (typeof value !== 'string' || !issue.pattern) return undefined;
  // zod gives the pattern as the regex literal, `/^...$/`.
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(issue.pattern);
  const candidate = value
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
  if (candidate === value) return undefined;
  try {
    const pattern = literal ? new RegExp(literal[1] ?? '', literal[2]) : new RegExp(issue.pattern);
    return pattern.test(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** zod's names for types, in the words of YAML. */
function yamlTypeName(expected: string): string {
  if (expected === 'object' || expected === 'record' || expected === 'map') return 'mapping';
  if (expected === 'array' || expected === 'tuple' || expected === 'set') return 'list';
  if (expected === 'int') return 'integer';
  return expected;
}

/** The issues without repeats (same code, path and message). */
function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code}|${issue.path.join('.')}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The value at a path of the document, or undefined. */
function getIn(value: unknown, path: IssuePath): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** ` in steps[2]`: where in the document, for a message; empty at its root. */
function where(path: IssuePath): string {
  return path.length === 0 ? '' : ` in ${formatIssuePath(path)}`;
}

/** `name` or `item 2 of approvers`: the field as the subject of "invalid ...". */
function valueLabel(path: IssuePath): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'document';
  return typeof last === 'number' ? `item ${last} of ${String(path[path.length - 2])}` : last;
}

/** `"name"` or `item 2 of approvers`: the field as the subject of a sentence. */
function fieldLabel(path: IssuePath): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the document';
  return typeof last === 'number' ? `item ${last} of ${String(path[path.length - 2])}` : `"${last}"`;
}

/** A type name with its article: `a list`, `an integer`. */
function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A value as a message says it: `the string "x"`, `a list`, `number 3`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** The first letter of a message in lower case, to follow a colon. */
export function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
