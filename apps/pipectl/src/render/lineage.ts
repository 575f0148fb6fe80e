// Renders lineage answers as a text tree, JSON, Mermaid or Graphviz DOT. A lineage answer is a
// list of hits, each with the path from the target; an edge is (parent hit -> hit, via step).
import type { LineageAnswer, LineageHit } from '@pipectl/compiler';
import type { Paint } from '../io/terminal.js';

export const LINEAGE_FORMATS = ['text', 'json', 'mermaid', 'dot', 'openlineage'] as const;
export type LineageFormat = (typeof LINEAGE_FORMATS)[number];

type FoundAnswer = Extract<LineageAnswer, { found: true }>;

/** One drawn edge, always oriented in data-flow direction (input -> output). */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  /** The step (`pipeline/step`) or source that moves data along the edge. */
  readonly via?: string;
}

const isStep = (name: string | undefined, steps: ReadonlySet<string>): boolean =>
  name !== undefined && steps.has(name);

/** The node a hit hangs from in the tree (its parent on the path) and the step between them. */
function parentOf(hit: LineageHit, steps: ReadonlySet<string>): { parent: string; via?: string } | undefined {
  const path = hit.path;
  if (path.length < 2) return undefined;
  const before = path[path.length - 2] as string;
  if (isStep(before, steps) && path.length >= 3)
    return { parent: path[path.length - 3] as string, via: before };
  return { parent: before };
}

function visibleHits(answer: FoundAnswer): { hits: LineageHit[]; steps: Set<string> } {
  const steps = new Set(answer.nodes.filter((hit) => hit.kind === 'step').map((hit) => hit.name));
  // At column level a dataset hit only repeats the column's dataset; the column says it.
  const hits = answer.nodes.filter(
    (hit) => hit.kind !== 'step' && !(answer.targetKind === 'column' && hit.kind === 'dataset'),
  );
  return { hits, steps };
}

export function flowEdges(answer: FoundAnswer): FlowEdge[] {
  const { hits, steps } = visibleHits(answer);
  const edges: FlowEdge[] = [];
  for (const hit of hits) {
    const link = parentOf(hit, steps);
    if (!link) continue;
    const [from, to] = answer.direction === 'upstream' ? [hit.name, link.parent] : [link.parent, hit.name];
    edges.push(link.via ? { from, to, via: link.via } : { from, to });
  }
  return edges;
}

export function renderLineageText(answers: readonly FoundAnswer[], paint: Paint): string {
  const out: string[] = [];
  for (const answer of answers) {
    const { hits, steps } = visibleHits(answer);
    const arrow = answer.direction === 'upstream' ? '←' : '→';
    out.push(
      `${paint('bold', answer.target)} ${paint('gray', `(${answer.targetKind}, ${answer.direction})`)}`,
    );
    if (hits.length === 0) {
      out.push(
        `  ${paint('gray', answer.direction === 'upstream' ? 'no inputs: nothing upstream' : 'no consumers: nothing downstream')}`,
      );
      out.push('');
      continue;
    }
    const children = new Map<string, { hit: LineageHit; via?: string }[]>();
    for (const hit of hits) {
      const link = parentOf(hit, steps);
      const key = link?.parent ?? answer.target;
      const list = children.get(key) ?? [];
      list.push(link?.via ? { hit, via: link.via } : { hit });
      children.set(key, list);
    }
    const seen = new Set<string>();
    const walk = (name: string, indent: string): void => {
      const kids = children.get(name) ?? [];
      kids.forEach(({ hit, via }, index) => {
        const last = index === kids.length - 1;
        const label =
          hit.kind === 'source'
            ? paint('magenta', `${hit.name} (source)`)
            : hit.kind === 'dataset'
              ? paint('cyan', hit.name)
              : hit.name;
        const step = via ? paint('gray', `  via ${via}`) : '';
        out.push(`${indent}${last ? '└─' : '├─'} ${arrow} ${label}${step}`);
        if (seen.has(hit.name)) return;
        seen.add(hit.name);
        walk(hit.name, `${indent}${last ? '   ' : '│  '}`);
      });
    };
    walk(answer.target, '  ');
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function mermaidId(name: string): string {
  return `n_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export function renderMermaid(targets: readonly string[], edges: readonly FlowEdge[]): string {
  const names = new Set<string>(targets);
  for (const edge of edges) {
    names.add(edge.from);
    names.add(edge.to);
  }
  const lines = ['flowchart LR'];
  for (const name of [...names].sort()) {
    const shape = targets.includes(name) ? `[["${name}"]]` : `["${name}"]`;
    lines.push(`  ${mermaidId(name)}${shape}`);
  }
  for (const edge of uniqueEdges(edges)) {
    const label = edge.via ? `|${edge.via}|` : '';
    lines.push(`  ${mermaidId(edge.from)} -->${label} ${mermaidId(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

function dotString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function renderDot(targets: readonly string[], edges: readonly FlowEdge[]): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const target of targets) lines.push(`  ${dotString(target)} [style=bold];`);
  for (const edge of uniqueEdges(edges)) {
    const label = edge.via ? ` [label=${dotString(edge.via)}]` : '';
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${label};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function uniqueEdges(edges: readonly FlowEdge[]): FlowEdge[] {
  const seen = new Map<string, FlowEdge>();
  for (const edge of edges) seen.set(`${edge.from}\u0000${edge.to}\u0000${edge.via ?? ''}`, edge);
  return [...seen.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
