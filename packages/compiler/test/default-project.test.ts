// The repository's own default project (contracts/ and pipelines/ at the root) must compile clean.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { compile } from '../src/index.js';
import { renderIssues } from './support/render-issue.js';

const root = join(import.meta.dirname, '..', '..', '..');

test("the repository's default project compiles without issues", async () => {
  const result = await compile(root);
  expect(renderIssues(result.issues)).toBe('');
});

test('a step runs after the steps producing the datasets its references point into', async () => {
  const result = await compile(root);
  const marts = result.plan.pipelines.find((pipeline) => pipeline.name === 'shop_marts');
  const fact = marts?.steps.find((step) => step.name === 'fct_order_items');
  // The fact table's SQL reads only staging, but its foreign keys point at the dimensions: their
  // relationships checks need the dimensions published first.
  expect(fact?.dependsOn).toEqual(['dim_customers', 'dim_date', 'dim_products']);
  const order = marts?.steps.map((step) => step.name) ?? [];
  expect(order.indexOf('fct_order_items')).toBeGreaterThan(order.indexOf('dim_customers'));
});
