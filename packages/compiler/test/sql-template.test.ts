// The step SQL template language: exactly ref() and source(), nothing else, never evaluated.
import { describe, expect, test } from 'vitest';
import { relationOf, renderTemplate, scanTemplate } from '../src/index.js';

describe('scanning a template', () => {
  test.each([
    ["{{ ref('stg_orders') }}", 'ref', 'stg_orders'],
    ['{{ref("sales.orders")}}', 'ref', 'sales.orders'],
    ["{{   source ( 'orders' )   }}", 'source', 'orders'],
  ])('finds %s', (sql, fn, name) => {
    expect(scanTemplate(`select * from ${sql}`)).toMatchObject({ calls: [{ fn, name }], problems: [] });
  });

  test.each([
    ['{{ ref(stg_orders) }}', "quote the name: {{ ref('name') }}"],
    ["{{ var('x') }}", "write {{ ref('step or dataset') }} or {{ source('name') }}"],
    ["{{ ref('a') ~ 'b' }}", "quote the name: {{ ref('name') }}"],
    ['{{ this }}', "write {{ ref('step or dataset') }} or {{ source('name') }}"],
  ])('rejects %s', (sql, hint) => {
    const scanned = scanTemplate(`select * from ${sql}`);
    expect(scanned.calls).toEqual([]);
    expect(scanned.problems).toMatchObject([{ offset: 14, hint }]);
  });

  test('reports a "{{" that is never closed', () => {
    expect(scanTemplate("select * from {{ ref('a')").problems).toMatchObject([
      { message: '"{{" is never closed with "}}"' },
    ]);
  });
});

describe('rendering a template', () => {
  const sql = "select * from {{ ref('a') }} join {{ source('b') }} using (id)";
  const { calls } = scanTemplate(sql);
  const rendered = renderTemplate(sql, calls, [relationOf('sales.a'), relationOf('raw.b')]);

  test('replaces each call with its quoted relation', () => {
    expect(rendered.text).toBe('select * from "sales"."a" join "raw"."b" using (id)');
  });

  test('maps rendered offsets back to the template', () => {
    expect(rendered.toTemplateOffset(rendered.text.indexOf('join'))).toBe(sql.indexOf('join'));
    expect(rendered.toTemplateOffset(rendered.text.indexOf('using'))).toBe(sql.indexOf('using'));
    expect(rendered.toTemplateOffset(rendered.text.indexOf('"raw"') + 2)).toBe(sql.indexOf('{{ source'));
    expect(rendered.callAt(rendered.text.indexOf('"sales"'))).toMatchObject({ fn: 'ref', name: 'a' });
  });
});
