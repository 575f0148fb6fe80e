// Finds the loops in a dependency graph: one cycle per strongly connected component (Tarjan), each
// as the list of its nodes starting from the smallest, so reports are stable.
import { compareText } from '../support/compare-text.js';

/**
 * Cycles of a directed graph given by successor lists.
 * @example findCycles(new Map([['a', ['b']], ['b', ['a']]])) // [['a', 'b']]  (a -> b -> a)
 */
export function findCycles(successors: ReadonlyMap<string, readonly string[]>): string[][] {
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  const connect = (node: string): void => {
    indexOf.set(node, counter);
    lowLink.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of successors.get(node) ?? []) {
      if (!indexOf.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node) as number, lowLink.get(next) as number));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node) as number, indexOf.get(next) as number));
      }
    }
    if (lowLink.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of [...successors.keys()].sort()) if (!indexOf.has(node)) connect(node);

  const cycles: string[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...members].sort()[0] as string;
    if (members.size === 1 && !(successors.get(start) ?? []).includes(start)) continue;
    cycles.push(shortestLoop(start, members, successors));
  }
  return cycles.sort((a, b) => compareText(a[0] as string, b[0] as string));
}

/** The shortest path from `start` back to itself inside one component, without the final repeat. */
function shortestLoop(
  start: string,
  members: ReadonlySet<string>,
  successors: ReadonlyMap<string, readonly string[]>,
): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const next of [...(successors.get(node) ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let at = node; at !== start; ) {
          at = parent.get(at) as string;
          path.push(at);
        }
        return path.reverse();
      }
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}
