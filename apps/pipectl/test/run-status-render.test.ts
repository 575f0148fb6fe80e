// What `pipectl status` and `run --wait` say of a run's OpenLineage deliveries (best effort: a drop
// is shown, never fatal). The deliveries themselves are tested on a real run in @pipectl/runtime.
import { expect, test } from 'vitest';
import { renderLineageCounts } from '../src/render/run-status.js';

const plain = (_style: string, text: string) => text;

test('the status shows OpenLineage deliveries sent, and what was dropped with the last reason', () => {
  expect(renderLineageCounts({ sent: 14, dropped: 0 }, plain)).toMatchInlineSnapshot(
    `"  openlineage 14 event deliveries sent"`,
  );
  expect(
    renderLineageCounts(
      {
        sent: 0,
        dropped: 14,
        lastError: 'http http://127.0.0.1:9/api/v1/lineage: POST failed: fetch failed',
      },
      plain,
    ),
  ).toMatchInlineSnapshot(
    `"  openlineage 0 event deliveries sent, 14 dropped (last: http http://127.0.0.1:9/api/v1/lineage: POST failed: fetch failed)"`,
  );
});
