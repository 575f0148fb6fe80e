// Cycle detection names each loop once, starting from its smallest node, by its shortest path.
import { expect, test } from 'vitest';
import { findCycles } from '../src/resolve/find-cycles.js';

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

test.each([
  { name: 'no loop', edges: { a: ['b'], b: ['c'], c: [] }, cycles: [] },
  { name: 'a step reading itself', edges: { a: ['a'], b: [] }, cycles: [['a']] },
  { name: 'a loop of three', edges: { c: ['a'], a: ['b'], b: ['c'] }, cycles: [['a', 'b', 'c']] },
  {
    name: 'two separate loops',
    edges: { a: ['b'], b: ['a'], x: ['y'], y: ['x'], z: ['a'] },
    cycles: [
      ['a', 'b'],
      ['x', 'y'],
    ],
  },
  {
    name: 'a shortcut inside a loop',
    edges: { a: ['b', 'd'], b: ['c'], c: ['d'], d: ['a'] },
    cycles: [['a', 'd']],
  },
])('$name', ({ edges, cycles }) => {
  expect(findCycles(graph(edges))).toEqual(cycles);
});
