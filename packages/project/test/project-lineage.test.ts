// `project.lineage(datasets?)` through the library, on the repository's default project: the whole
// project at dataset level, and the part a selection names (no edge leaves it).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openProject } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('project.lineage', () => {
  it("draws every source's origin and every step's inputs to the dataset they write", async () => {
    const project = await openProject(REPO);
    const { datasets, edges } = await project.lineage();
    const { plan } = await project.compile();
    expect(datasets).toEqual(plan.datasets.map((d) => d.name));
    expect(edges).toContainEqual({
      from: 'raw.orders',
      to: 'staging.orders',
      via: 'shop_staging/stg_orders',
      fromDataset: true,
    });
    expect(edges.find((edge) => edge.to === 'raw.orders')).toMatchObject({
      via: 'shop_staging/orders',
      fromDataset: false,
    });
  });

  it('keeps to the selected datasets: no edge comes from or goes to one outside it', async () => {
    const project = await openProject(REPO);
    const selected = new Set(['raw.orders', 'staging.orders']);
    const { datasets, edges } = await project.lineage(selected);
    expect(datasets).toEqual(['raw.orders', 'staging.orders']);
    expect(edges.map((edge) => [edge.from.startsWith('raw.') ? edge.from : 'origin', edge.to])).toEqual([
      ['origin', 'raw.orders'],
      ['raw.orders', 'staging.orders'],
    ]);
  });
});
