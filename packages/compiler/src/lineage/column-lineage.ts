// Column-level lineage of one step: walks the JSON AST DuckDB gives for the step's SELECT and
// answers, for every output column, which input columns (`dataset.column`) its value comes from.
// It follows FROM aliases, joins (ON, USING, NATURAL), CTEs (recursive too), subqueries, set
// operations, `*` and `alias.*` with EXCLUDE / REPLACE / RENAME, and every expression kind by a
// generic walk, so a function DuckDB adds tomorrow is traced without a change here.
// Pure: AST in, lineage and problems out; the compiler turns problems into located issues.
import { didYouMean } from '@pipectl/spec';
import { entriesAt, isNode, locationOf, nodeAt, nodesAt, textAt, textsAt } from '../sql/sql-ast.js';
import type { SqlAstNode } from '../sql/sql-parser.js';
import { byteOffsetMapper } from '../sql/text-position.js';

/** A relation substituted for a `ref()` or `source()` call. */
export interface LineageInput {
  /** The dataset read; absent after a call that did not resolve (already reported). */
  readonly dataset?: string;
  /** Its contract's columns; absent when the contract is unknown (already reported). */
  readonly columns?: readonly string[];
}

export type LineageProblemCode = 'PIPE3002' | 'PIPE3003' | 'PIPE3007' | 'PIPE3009';

export interface LineageProblem {
  readonly code: LineageProblemCode;
  readonly message: string;
  /** String index in the analysed SQL text. */
  readonly offset: number | undefined;
  readonly hint?: string;
}

export interface AnalyzeSelectOptions {
  /** The SQL text that was parsed (after template rendering), to map DuckDB's byte locations. */
  readonly sql: string;
  /** Inputs by the string index where their relation starts in `sql`. */
  readonly inputsAt: ReadonlyMap<number, LineageInput>;
  /** Names the query in messages, e.g. `step "fct_orders"`. */
  readonly subject: string;
  /** The dataset a bare table name means, if any: lets the PIPE3002 hint suggest the right ref(). */
  readonly datasetNamed?: (name: string) => string | undefined;
}

export interface OutputColumn {
  /** Undefined for an expression without `AS` (DuckDB would name it after the expression text). */
  readonly name: string | undefined;
  /** Input columns as `dataset.column`, sorted. */
  readonly inputs: readonly string[];
  /** The value is copied unchanged (a column reference through any number of CTEs). */
  readonly direct: boolean;
  /** String index of the select-list item in the SQL. */
  readonly offset: number | undefined;
}

export interface SelectLineage {
  readonly columns: readonly OutputColumn[];
  /** False when the output columns cannot be listed (e.g. `*` over a table function). */
  readonly complete: boolean;
  /** Every input column the SQL mentions anywhere: select list, joins, filters, `*`. Sorted. */
  readonly uses: readonly string[];
  readonly problems: readonly LineageProblem[];
}

interface Col {
  readonly name: string | undefined;
  readonly inputs: ReadonlySet<string>;
  readonly direct: boolean;
  readonly offset?: number | undefined;
}

/** Why a relation's columns are unknown: an error already reported, or something untraceable. */
type Opacity = 'error' | 'untraced';

interface Shape {
  readonly columns: readonly Col[] | undefined;
  readonly opacity?: Opacity;
}

interface Binding {
  /** Lowercase name the query uses for it: alias, else table name. */
  readonly alias: string;
  readonly dataset?: string;
  readonly columns: readonly Col[] | undefined;
  readonly opacity?: Opacity;
  readonly byName: ReadonlyMap<string, Col>;
  /** How messages name it: `"sales.orders"`, `CTE "c"`. */
  readonly label: string;
}

interface Scope {
  readonly bindings: Binding[];
  /** Column names merged by USING or NATURAL joins: never ambiguous. */
  readonly using: Set<string>;
  /** Select-list aliases visible here (DuckDB lets WHERE, GROUP BY, ... use them). */
  aliases?: ReadonlyMap<string, Col>;
  readonly lambdas?: ReadonlySet<string>;
  readonly parent: Scope | undefined;
}

type Ctes = ReadonlyMap<string, Shape>;

interface Derived {
  readonly inputs: Set<string>;
  readonly direct: boolean;
  readonly name?: string | undefined;
  /** A `COLUMNS(...)` or nested `*` makes the number of output columns unknown. */
  readonly unknownShape?: boolean;
}

type Mode = 'value' | 'check';

const EMPTY_CTES: Ctes = new Map();

/** Bare words DuckDB binds as values when no column has the name (probed on DuckDB 1.5). */
const SQL_VALUE_KEYWORDS = new Set([
  'current_timestamp',
  'current_date',
  'current_time',
  'localtime',
  'localtimestamp',
  'current_user',
  'current_role',
  'session_user',
  'user',
  'current_catalog',
  'current_schema',
]);

/**
 * Traces every output column of a parsed SELECT back to input columns.
 * @example analyzeSelect(statement, { sql, inputsAt, subject: 'step "fct"' }).columns[0].inputs
 *   // ['sales.orders.amount']
 */
export function analyzeSelect(statement: SqlAstNode, options: AnalyzeSelectOptions): SelectLineage {
  const analyzer = new SelectAnalyzer(options);
  const node = nodeAt(statement, 'node');
  const shape: Shape = node
    ? analyzer.query(node, EMPTY_CTES, undefined)
    : { columns: undefined, opacity: 'untraced' };
  if (
    !shape.columns &&
    shape.opacity === 'untraced' &&
    !analyzer.problems.some((p) => p.code === 'PIPE3007')
  ) {
    analyzer.report(
      'PIPE3007',
      `the output columns of ${options.subject} cannot be listed, so lineage is partial`,
      0,
    );
  }
  return {
    columns: (shape.columns ?? []).map((col) => ({
      name: col.name,
      inputs: [...col.inputs].sort(),
      direct: col.direct,
      offset: col.offset,
    })),
    complete: shape.columns !== undefined,
    uses: [...analyzer.uses].sort(),
    problems: dedupe(analyzer.problems),
  };
}

class SelectAnalyzer {
  readonly problems: LineageProblem[] = [];
  readonly uses = new Set<string>();
  private readonly toIndex: (byteOffset: number) => number;

  constructor(private readonly options: AnalyzeSelectOptions) {
    this.toIndex = byteOffsetMapper(options.sql);
  }

  report(
    code: LineageProblemCode,
    message: string,
    at: SqlAstNode | number | undefined,
    hint?: string,
  ): void {
    const offset = typeof at === 'number' || at === undefined ? at : this.at(at);
    this.problems.push({ code, message, offset, ...(hint ? { hint } : {}) });
  }

  private at(node: SqlAstNode): number | undefined {
    const location = locationOf(node);
    return location === undefined ? undefined : this.toIndex(location);
  }

  private untraced(what: string, node: SqlAstNode): void {
    this.report(
      'PIPE3007',
      `${this.options.subject} uses ${what}, which pipectl cannot trace; lineage through it is partial`,
      node,
    );
  }

  // ---- query nodes -------------------------------------------------------------------------

  query(node: SqlAstNode, ctes: Ctes, outer: Scope | undefined): Shape {
    const scopeCtes = this.ctes(node, ctes, outer);
    const type = textAt(node, 'type');
    switch (type) {
      case 'SELECT_NODE':
        return this.select(node, scopeCtes, outer);
      case 'SET_OPERATION_NODE':
        return this.setOperation(node, scopeCtes, outer);
      case 'RECURSIVE_CTE_NODE':
        return this.recursive(
          node,
          scopeCtes,
          outer,
          textAt(node, 'cte_name').toLowerCase(),
          textsAt(node, 'aliases'),
        );
      default:
        this.untraced(`a ${type || 'query'} node`, node);
        return { columns: undefined, opacity: 'untraced' };
    }
  }

  private subquery(holder: SqlAstNode | undefined, ctes: Ctes, outer: Scope | undefined): Shape {
    const node = holder ? nodeAt(holder, 'node') : undefined;
    return node ? this.query(node, ctes, outer) : { columns: undefined, opacity: 'untraced' };
  }

  private ctes(node: SqlAstNode, ctes: Ctes, outer: Scope | undefined): Ctes {
    const entries = entriesAt(node, 'cte_map');
    if (entries.length === 0) return ctes;
    const scoped = new Map(ctes);
    for (const { key, value } of entries) {
      if (typeof key !== 'string' || !isNode(value)) continue;
      const name = key.toLowerCase();
      const inner = nodeAt(nodeAt(value, 'query') ?? {}, 'node');
      const aliases = textsAt(value, 'aliases');
      let shape: Shape;
      if (!inner) shape = { columns: undefined, opacity: 'untraced' };
      else if (textAt(inner, 'type') === 'RECURSIVE_CTE_NODE') {
        shape = this.recursive(inner, this.ctes(inner, scoped, outer), outer, name, aliases);
      } else shape = this.query(inner, scoped, outer);
      scoped.set(name, renamed(shape, aliases));
    }
    return scoped;
  }

  private recursive(
    node: SqlAstNode,
    ctes: Ctes,
    outer: Scope | undefined,
    name: string,
    aliases: readonly string[],
  ): Shape {
    const anchor = renamed(this.subqueryNode(nodeAt(node, 'left'), ctes, outer), aliases);
    const withSelf = new Map(ctes).set(name, anchor);
    const step = this.subqueryNode(nodeAt(node, 'right'), withSelf, outer);
    return mergeByPosition(anchor, step);
  }

  private subqueryNode(node: SqlAstNode | undefined, ctes: Ctes, outer: Scope | undefined): Shape {
    return node ? this.query(node, ctes, outer) : { columns: undefined, opacity: 'untraced' };
  }

  private setOperation(node: SqlAstNode, ctes: Ctes, outer: Scope | undefined): Shape {
    const left = this.subqueryNode(nodeAt(node, 'left'), ctes, outer);
    const right = this.subqueryNode(nodeAt(node, 'right'), ctes, outer);
    const type = textAt(node, 'setop_type');
    if (type === 'EXCEPT' || type === 'INTERSECT') return left;
    if (type === 'UNION_BY_NAME') return mergeByName(left, right);
    return mergeByPosition(left, right);
  }

  private select(node: SqlAstNode, ctes: Ctes, outer: Scope | undefined): Shape {
    const scope: Scope = { bindings: [], using: new Set(), parent: outer };
    const from = nodeAt(node, 'from_table');
    if (from) this.from(from, ctes, scope);

    const columns: Col[] = [];
    const aliases = new Map<string, Col>();
    let unknown: Opacity | undefined;
    for (const item of nodesAt(node, 'select_list')) {
      scope.aliases = aliases;
      if (textAt(item, 'class') === 'STAR' && !(item.columns === true && nodeAt(item, 'expr'))) {
        const expanded = this.star(item, scope, ctes);
        if (expanded.columns) columns.push(...expanded.columns);
        else unknown = worse(unknown, expanded.opacity ?? 'untraced');
        continue;
      }
      const derived = this.expr(item, scope, ctes, 'value');
      if (derived.unknownShape) unknown = worse(unknown, 'untraced');
      const col: Col = {
        name: textAt(item, 'alias') || derived.name,
        inputs: derived.inputs,
        direct: derived.direct,
        offset: this.at(item),
      };
      columns.push(col);
      if (col.name !== undefined) aliases.set(col.name.toLowerCase(), col);
    }

    // The other clauses may name any output column; they are checked, not traced.
    scope.aliases = aliases;
    for (const key of ['where_clause', 'having', 'qualify']) {
      const clause = nodeAt(node, key);
      if (clause) this.expr(clause, scope, ctes, 'check');
    }
    for (const group of nodesAt(node, 'group_expressions')) this.expr(group, scope, ctes, 'check');
    for (const modifier of nodesAt(node, 'modifiers'))
      this.children(modifier, scope, ctes, 'check', new Set());
    return unknown ? { columns: undefined, opacity: unknown } : { columns };
  }

  // ---- FROM ----------------------------------------------------------------------------------

  /** Adds the relations of a FROM item to the scope's bindings, tracing what can be traced. */
  private from(table: SqlAstNode, ctes: Ctes, scope: Scope): void {
    const type = textAt(table, 'type');
    switch (type) {
      case 'EMPTY':
        return;
      case 'BASE_TABLE':
        scope.bindings.push(this.baseTable(table, ctes));
        return;
      case 'JOIN':
        this.join(table, ctes, scope);
        return;
      case 'SUBQUERY': {
        // The enclosing scope is visible, as DuckDB allows LATERAL references implicitly.
        const shape = this.subquery(nodeAt(table, 'subquery'), ctes, scope);
        const alias = textAt(table, 'alias');
        scope.bindings.push(
          makeBinding(
            alias.toLowerCase(),
            alias ? `subquery "${alias}"` : 'a subquery',
            renamed(shape, textsAt(table, 'column_name_alias')),
          ),
        );
        return;
      }
      case 'EXPRESSION_LIST':
        scope.bindings.push(this.valuesList(table, ctes, scope));
        return;
      case 'TABLE_FUNCTION': {
        const fn = nodeAt(table, 'function');
        if (fn) this.children(fn, scope, ctes, 'check', new Set());
        const name = fn ? textAt(fn, 'function_name') : 'table function';
        this.untraced(`the table function ${name}()`, table);
        const alias = textAt(table, 'alias') || name;
        scope.bindings.push(
          makeBinding(alias.toLowerCase(), `${name}()`, { columns: undefined, opacity: 'untraced' }),
        );
        return;
      }
      default: {
        this.untraced(`a ${type || 'table'} expression in FROM`, table);
        const alias = textAt(table, 'alias');
        scope.bindings.push(
          makeBinding(alias.toLowerCase(), type, { columns: undefined, opacity: 'untraced' }),
        );
      }
    }
  }

  /** Both sides of a join, its USING (or NATURAL) columns merged, and its condition checked. */
  private join(table: SqlAstNode, ctes: Ctes, scope: Scope): void {
    const left = nodeAt(table, 'left');
    const right = nodeAt(table, 'right');
    if (left) this.from(left, ctes, scope);
    const leftCount = scope.bindings.length;
    if (right) this.from(right, ctes, scope);
    for (const name of textsAt(table, 'using_columns')) scope.using.add(name.toLowerCase());
    if (textAt(table, 'ref_type') === 'NATURAL') {
      const leftNames = new Set(scope.bindings.slice(0, leftCount).flatMap((b) => [...b.byName.keys()]));
      for (const binding of scope.bindings.slice(leftCount)) {
        for (const name of binding.byName.keys()) if (leftNames.has(name)) scope.using.add(name);
      }
    }
    const condition = nodeAt(table, 'condition');
    if (condition) this.expr(condition, scope, ctes, 'check');
  }

  /** A VALUES list as a binding: column n reads what row values at n read. */
  private valuesList(table: SqlAstNode, ctes: Ctes, scope: Scope): Binding {
    const rows = Array.isArray(table.values) ? table.values.filter(Array.isArray) : [];
    const width = rows[0]?.length ?? 0;
    const columns: Col[] = [];
    for (let index = 0; index < width; index++) {
      const inputs = new Set<string>();
      for (const row of rows) {
        const value = row[index];
        if (isNode(value))
          for (const input of this.expr(value, scope, ctes, 'value').inputs) inputs.add(input);
      }
      columns.push({ name: `col${index}`, inputs, direct: false });
    }
    const alias = textAt(table, 'alias');
    return makeBinding(
      alias.toLowerCase(),
      'VALUES',
      renamed({ columns }, textsAt(table, 'column_name_alias')),
    );
  }

  private baseTable(table: SqlAstNode, ctes: Ctes): Binding {
    const name = textAt(table, 'table_name');
    const schema = textAt(table, 'schema_name');
    const alias = (textAt(table, 'alias') || name).toLowerCase();
    const renames = textsAt(table, 'column_name_alias');
    const offset = this.at(table);
    const input = offset === undefined ? undefined : this.options.inputsAt.get(offset);
    if (input) {
      if (input.dataset === undefined || input.columns === undefined) {
        return makeBinding(
          alias,
          `"${input.dataset ?? name}"`,
          { columns: undefined, opacity: 'error' },
          input.dataset,
        );
      }
      const dataset = input.dataset;
      const columns = input.columns.map((column) => ({
        name: column,
        inputs: new Set([`${dataset}.${column}`]),
        direct: true,
      }));
      return makeBinding(alias, `"${dataset}"`, renamed({ columns }, renames), dataset);
    }
    const cte = schema === '' ? ctes.get(name.toLowerCase()) : undefined;
    if (cte) return makeBinding(alias, `CTE "${name}"`, renamed(cte, renames));

    const written = schema ? `${schema}.${name}` : name;
    const dataset = this.options.datasetNamed?.(written.toLowerCase());
    const hint = dataset
      ? `read it with {{ ref('${dataset}') }}`
      : (didYouMean(name, ctes.keys()) ?? "read inputs with {{ ref('...') }} or {{ source('...') }}");
    this.report(
      'PIPE3002',
      `unknown table "${written}" in ${this.options.subject}: it is not a ref(), a source() or a CTE`,
      table,
      hint,
    );
    return makeBinding(alias, `"${written}"`, { columns: undefined, opacity: 'error' });
  }

  // ---- select list -----------------------------------------------------------------------------

  /** The columns `*` or `t.*` expands to, with its EXCLUDE, REPLACE and RENAME applied. */
  private star(item: SqlAstNode, scope: Scope, ctes: Ctes): Shape {
    const relation = textAt(item, 'relation_name').toLowerCase();
    const bindings = relation
      ? scope.bindings.filter((binding) => binding.alias === relation)
      : scope.bindings;
    if (relation && bindings.length === 0) return this.starOverNoTable(item, relation, scope);
    const modifiers = starModifiers(item);
    const expansion: StarExpansion = {
      relation,
      bindings,
      scope,
      ctes,
      modifiers,
      offset: this.at(item),
      matched: new Set(),
      mergedUsing: new Set(),
    };
    const columns: Col[] = [];
    for (const binding of bindings) {
      if (!binding.columns) return { columns: undefined, opacity: binding.opacity ?? 'untraced' };
      for (const col of binding.columns) {
        const out = this.starColumn(col, binding, expansion);
        if (out) columns.push(out);
      }
    }
    for (const name of [...modifiers.exclude, ...modifiers.replace.keys()]) {
      if (!expansion.matched.has(name)) {
        this.report(
          'PIPE3003',
          `"*" in ${this.options.subject} excludes or replaces column "${name}", which no input has`,
          item,
        );
      }
    }
    return { columns };
  }

  /** `t.*` where no input is named t: a struct expansion (untraced) or an unknown table (PIPE3003). */
  private starOverNoTable(item: SqlAstNode, relation: string, scope: Scope): Shape {
    if (scope.bindings.some((binding) => binding.byName.has(relation))) {
      // `s.*` over a struct column expands its fields, which contracts do not list one by one.
      this.untraced(`the struct expansion ${textAt(item, 'relation_name')}.*`, item);
      return { columns: undefined, opacity: 'untraced' };
    }
    this.report(
      'PIPE3003',
      `unknown table "${textAt(item, 'relation_name')}" in "${textAt(item, 'relation_name')}.*" in ${this.options.subject}`,
      item,
      didYouMean(
        relation,
        scope.bindings.map((binding) => binding.alias),
      ),
    );
    return { columns: undefined, opacity: 'error' };
  }

  /** What one input column becomes in a star's expansion; undefined when excluded or merged away. */
  private starColumn(col: Col, binding: Binding, expansion: StarExpansion): Col | undefined {
    const { relation, bindings, modifiers, matched, mergedUsing, offset } = expansion;
    const key = col.name?.toLowerCase() ?? '';
    let source: Col = col;
    if (!relation && expansion.scope.using.has(key)) {
      if (mergedUsing.has(key)) return undefined;
      mergedUsing.add(key);
      source = mergeCols(bindings.map((b) => b.byName.get(key)).filter((c): c is Col => c !== undefined));
    }
    if (modifiers.exclude.has(key) || modifiers.qualifiedExclude.has(`${binding.alias}.${key}`)) {
      matched.add(key);
      return undefined;
    }
    const replacement = modifiers.replace.get(key);
    if (replacement) {
      matched.add(key);
      const derived = this.expr(replacement, expansion.scope, expansion.ctes, 'value');
      return {
        name: col.name,
        inputs: derived.inputs,
        direct: derived.direct,
        offset: this.at(replacement) ?? offset,
      };
    }
    for (const input of source.inputs) this.uses.add(input);
    const newName = modifiers.rename.get(`${binding.alias}.${key}`) ?? modifiers.rename.get(`.${key}`);
    return { name: newName ?? col.name, inputs: source.inputs, direct: source.direct, offset };
  }

  // ---- expressions -----------------------------------------------------------------------------

  /** What an expression reads; in 'check' mode a bare `*` is allowed (COUNT(*)). */
  private expr(node: SqlAstNode, scope: Scope, ctes: Ctes, mode: Mode): Derived {
    switch (textAt(node, 'class')) {
      case 'COLUMN_REF':
        return this.columnRef(node, scope);
      case 'CONSTANT':
      case 'PARAMETER':
        return { inputs: new Set(), direct: false };
      case 'STAR': {
        if (mode === 'check') return { inputs: new Set(), direct: false };
        this.untraced(item(node), node);
        return { inputs: new Set(), direct: false, unknownShape: true };
      }
      case 'SUBQUERY':
        return this.subqueryExpr(node, scope, ctes, mode);
      case 'LAMBDA': {
        const params = new Set<string>();
        collectColumnNames(nodeAt(node, 'lhs'), params);
        const inner: Scope = { bindings: [], using: new Set(), lambdas: params, parent: scope };
        const body = nodeAt(node, 'expr');
        return body
          ? { inputs: this.expr(body, inner, ctes, mode).inputs, direct: false }
          : { inputs: new Set(), direct: false };
      }
      case 'POSITIONAL_REFERENCE':
        return this.positionalReference(node, scope);
      default: {
        const inputs = new Set<string>();
        const unknownShape = this.children(node, scope, ctes, mode, inputs);
        return { inputs, direct: false, unknownShape };
      }
    }
  }

  /** A scalar, IN or EXISTS subquery: what its first column reads (not for EXISTS), and its operand. */
  private subqueryExpr(node: SqlAstNode, scope: Scope, ctes: Ctes, mode: Mode): Derived {
    const shape = this.subquery(nodeAt(node, 'subquery'), ctes, scope);
    const inputs = new Set<string>();
    const kind = textAt(node, 'subquery_type');
    if (kind !== 'EXISTS' && kind !== 'NOT_EXISTS')
      for (const input of shape.columns?.[0]?.inputs ?? []) inputs.add(input);
    const child = nodeAt(node, 'child');
    if (child) for (const input of this.expr(child, scope, ctes, mode).inputs) inputs.add(input);
    return { inputs, direct: false };
  }

  /** `#n`: the n-th column of the inputs in scope. */
  private positionalReference(node: SqlAstNode, scope: Scope): Derived {
    const index = typeof node.index === 'number' ? node.index : 0;
    const col = scope.bindings.flatMap((binding) => binding.columns ?? [])[index - 1];
    if (col) for (const input of col.inputs) this.uses.add(input);
    return col
      ? { inputs: new Set(col.inputs), direct: col.direct, name: col.name }
      : { inputs: new Set(), direct: false };
  }

  /** Walks every nested expression of a node, adding their inputs; true if one has an unknown shape. */
  private children(value: unknown, scope: Scope, ctes: Ctes, mode: Mode, into: Set<string>): boolean {
    let unknownShape = false;
    for (const child of nestedExpressions(value)) {
      const derived = this.expr(child, scope, ctes, mode);
      for (const input of derived.inputs) into.add(input);
      if (derived.unknownShape) unknownShape = true;
    }
    return unknownShape;
  }

  private columnRef(node: SqlAstNode, scope: Scope): Derived {
    const names = textsAt(node, 'column_names');
    const lower = names.map((name) => name.toLowerCase());
    if (names.length === 0) return { inputs: new Set(), direct: false };
    for (let current: Scope | undefined = scope; current; current = current.parent) {
      const found = this.resolveIn(current, names, lower, node);
      if (found) return found;
    }
    if (names.length === 1 && SQL_VALUE_KEYWORDS.has(lower[0] as string))
      return { inputs: new Set(), direct: false, name: names[0] };
    this.unknownColumn(names, scope, node);
    return { inputs: new Set(), direct: false, name: names[names.length - 1] };
  }

  private resolveIn(scope: Scope, names: string[], lower: string[], node: SqlAstNode): Derived | undefined {
    const [first = '', second] = lower;
    if (scope.lambdas?.has(first)) return { inputs: new Set(), direct: false, name: names[names.length - 1] };
    if (lower.length >= 3) {
      const dataset = `${first}.${second}`;
      const binding = scope.bindings.find((b) => b.dataset === dataset && b.alias === second);
      if (binding) return this.fromBinding(binding, names, 2, node);
    }
    if (lower.length >= 2) {
      const binding = scope.bindings.find((b) => b.alias === first);
      if (binding) return this.fromBinding(binding, names, 1, node);
    }
    const matches = scope.bindings.filter((binding) => binding.byName.has(first));
    if (matches.length > 0) {
      if (matches.length > 1 && !scope.using.has(first)) {
        this.report(
          'PIPE3009',
          `column "${names[0]}" in ${this.options.subject} is ambiguous: ${matches.map((m) => m.label).join(' and ')} both have it`,
          node,
          `qualify it, e.g. ${matches[0]?.alias || 't'}.${names[0]}`,
        );
      }
      const col = mergeCols(
        matches.map((binding) => binding.byName.get(first)).filter((c): c is Col => c !== undefined),
      );
      return this.use(col, names, 1);
    }
    const alias = scope.aliases?.get(first);
    if (alias) return this.use(alias, names, 1);
    if (scope.bindings.some((binding) => binding.columns === undefined)) {
      return { inputs: new Set(), direct: false, name: names[names.length - 1] };
    }
    return undefined;
  }

  private fromBinding(binding: Binding, names: string[], at: number, node: SqlAstNode): Derived {
    const columnName = names[at] as string;
    if (!binding.columns) return { inputs: new Set(), direct: false, name: names[names.length - 1] };
    const col = binding.byName.get(columnName.toLowerCase());
    if (!col) {
      const known = binding.columns.map((c) => c.name).filter((n): n is string => n !== undefined);
      this.report(
        'PIPE3003',
        `unknown column "${names.slice(0, at + 1).join('.')}" in ${this.options.subject}: ${binding.label} has no column "${columnName}"`,
        node,
        didYouMean(columnName, known) ?? `the columns of ${binding.label} are: ${abbreviate(known)}`,
      );
      return { inputs: new Set(), direct: false, name: names[names.length - 1] };
    }
    return this.use(col, names, at + 1);
  }

  /** The value of a resolved column, through struct field accesses (`names[fieldsFrom..]`). */
  private use(col: Col, names: string[], fieldsFrom: number): Derived {
    for (const input of col.inputs) this.uses.add(input);
    const fields = names.length - fieldsFrom;
    return {
      inputs: new Set(col.inputs),
      direct: col.direct && fields === 0,
      name: fields === 0 ? col.name : names[names.length - 1],
    };
  }

  private unknownColumn(names: string[], scope: Scope, node: SqlAstNode): void {
    const written = names.join('.');
    if (names.length >= 2) {
      const aliases = scope.bindings.map((binding) => binding.alias).filter((alias) => alias !== '');
      this.report(
        'PIPE3003',
        `unknown column "${written}" in ${this.options.subject}: no input, CTE or column is named "${names[0]}"`,
        node,
        didYouMean(names[0] as string, aliases) ??
          (aliases.length > 0 ? `the inputs in scope are: ${aliases.join(', ')}` : undefined),
      );
      return;
    }
    const candidates = new Set<string>();
    for (let current: Scope | undefined = scope; current; current = current.parent) {
      for (const binding of current.bindings)
        for (const col of binding.columns ?? []) if (col.name) candidates.add(col.name);
      for (const col of current.aliases?.values() ?? []) if (col.name) candidates.add(col.name);
    }
    this.report(
      'PIPE3003',
      `unknown column "${written}" in ${this.options.subject}: no input in scope has it`,
      node,
      didYouMean(written, candidates) ??
        (candidates.size > 0 ? `columns in scope: ${abbreviate([...candidates])}` : undefined),
    );
  }
}

/** A star's EXCLUDE, REPLACE and RENAME lists, keyed by lower-cased (qualified) column name. */
interface StarModifiers {
  readonly exclude: ReadonlySet<string>;
  readonly qualifiedExclude: ReadonlySet<string>;
  readonly replace: ReadonlyMap<string, SqlAstNode>;
  readonly rename: ReadonlyMap<string, string>;
}

/** One star being expanded: where it is, what it reads, and what it has matched so far. */
interface StarExpansion {
  readonly relation: string;
  readonly bindings: readonly Binding[];
  readonly scope: Scope;
  readonly ctes: Ctes;
  readonly modifiers: StarModifiers;
  readonly offset: number | undefined;
  /** Excluded or replaced names an input had. */
  readonly matched: Set<string>;
  /** USING columns already output once. */
  readonly mergedUsing: Set<string>;
}

/** Reads a star's EXCLUDE, REPLACE and RENAME lists. */
function starModifiers(item: SqlAstNode): StarModifiers {
  const exclude = new Set(textsAt(item, 'exclude_list').map((name) => name.toLowerCase()));
  const qualifiedExclude = new Set(
    nodesAt(item, 'qualified_exclude_list').map((entry) =>
      `${textAt(entry, 'table')}.${textAt(entry, 'column')}`.toLowerCase(),
    ),
  );
  const replace = new Map<string, SqlAstNode>();
  for (const { key, value } of entriesAt(item, 'replace_list')) {
    if (typeof key === 'string' && isNode(value)) replace.set(key.toLowerCase(), value);
  }
  const rename = new Map<string, string>();
  for (const { key, value } of entriesAt(item, 'rename_list')) {
    if (isNode(key) && typeof value === 'string')
      rename.set(`${textAt(key, 'table')}.${textAt(key, 'column')}`.toLowerCase(), value);
  }
  return { exclude, qualifiedExclude, replace, rename };
}

/** The outermost expressions (nodes with a `class`) nested in a node's fields, in order; cast types skipped. */
function nestedExpressions(value: unknown, into: SqlAstNode[] = []): SqlAstNode[] {
  if (!isNode(value)) return into;
  for (const [key, nested] of Object.entries(value)) if (key !== 'cast_type') expressionsIn(nested, into);
  return into;
}

/** Adds the outermost expressions in a value (a node, or an array of them) to `into`. */
function expressionsIn(value: unknown, into: SqlAstNode[]): void {
  if (Array.isArray(value)) for (const element of value) expressionsIn(element, into);
  else if (isNode(value) && typeof value.class === 'string') into.push(value);
  else nestedExpressions(value, into);
}

function makeBinding(alias: string, label: string, shape: Shape, dataset?: string): Binding {
  const byName = new Map<string, Col>();
  for (const col of shape.columns ?? [])
    if (col.name !== undefined && !byName.has(col.name.toLowerCase()))
      byName.set(col.name.toLowerCase(), col);
  return {
    alias,
    label,
    columns: shape.columns,
    byName,
    ...(shape.opacity ? { opacity: shape.opacity } : {}),
    ...(dataset ? { dataset } : {}),
  };
}

function renamed(shape: Shape, aliases: readonly string[]): Shape {
  if (aliases.length === 0 || !shape.columns) return shape;
  return { columns: shape.columns.map((col, index) => ({ ...col, name: aliases[index] ?? col.name })) };
}

function mergeCols(cols: readonly Col[]): Col {
  if (cols.length === 1) return cols[0] as Col;
  const inputs = new Set<string>();
  for (const col of cols) for (const input of col.inputs) inputs.add(input);
  return { name: cols[0]?.name, inputs, direct: cols.every((col) => col.direct) };
}

function mergeByPosition(left: Shape, right: Shape): Shape {
  if (!left.columns || !right.columns)
    return { columns: undefined, opacity: worse(left.opacity, right.opacity) ?? 'untraced' };
  const rightColumns = right.columns;
  return {
    columns: left.columns.map((col, index) => {
      const other = rightColumns[index];
      return other ? { ...mergeCols([col, other]), offset: col.offset } : col;
    }),
  };
}

function mergeByName(left: Shape, right: Shape): Shape {
  if (!left.columns || !right.columns)
    return { columns: undefined, opacity: worse(left.opacity, right.opacity) ?? 'untraced' };
  const byName = new Map<string, Col>();
  for (const col of [...left.columns, ...right.columns]) {
    const key = col.name?.toLowerCase() ?? '';
    const seen = byName.get(key);
    byName.set(key, seen ? { ...mergeCols([seen, col]), offset: seen.offset } : col);
  }
  return { columns: [...byName.values()] };
}

function worse(a: Opacity | undefined, b: Opacity | undefined): Opacity | undefined {
  return a === 'error' || b === 'error' ? 'error' : (a ?? b);
}

function collectColumnNames(node: SqlAstNode | undefined, into: Set<string>): void {
  if (!node) return;
  if (textAt(node, 'class') === 'COLUMN_REF') {
    const name = textsAt(node, 'column_names')[0];
    if (name) into.add(name.toLowerCase());
    return;
  }
  for (const child of nodesAt(node, 'children')) collectColumnNames(child, into);
}

function item(node: SqlAstNode): string {
  return node.columns === true ? 'COLUMNS(...)' : 'a * inside an expression';
}

function abbreviate(names: readonly string[]): string {
  return names.length <= 12
    ? names.join(', ')
    : `${names.slice(0, 12).join(', ')}, ... (${names.length} in all)`;
}

function dedupe(problems: readonly LineageProblem[]): LineageProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.code}|${problem.offset}|${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
