// The catalog-site benchmark: does `pipectl docs` stay usable at the compile benchmark's scale
// (1,000 contracts × 30 columns, 500 pipelines)? Builds the site with the library (compile, model,
// write), then opens it in Debian's Chromium from file:// and times what a reader waits for: the
// contract list, the lineage explorer on one column, a search. Prints one line per figure.
//
//   node --conditions=@pipectl/source --import tsx bench/catalog/run.ts [--contracts 1000] [--columns 30] [--pipelines 500] [--runs 3]
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCatalogModel, writeCatalogSite } from '@pipectl/catalog-site';
import { compile, loadProject } from '@pipectl/compiler';
import { chromium } from 'playwright-core';
import { defaultOutDir, generateProject } from '../compile/generate.js';

const { values } = parseArgs({
  options: {
    contracts: { type: 'string', default: '1000' },
    columns: { type: 'string', default: '30' },
    pipelines: { type: 'string', default: '500' },
    runs: { type: 'string', default: '3' },
  },
});
const shape = {
  contracts: Number(values.contracts),
  columns: Number(values.columns),
  pipelines: Number(values.pipelines),
};
const dir = defaultOutDir(shape);
if (!existsSync(join(dir, 'pipectl.yaml'))) await generateProject(shape, dir);
const site = `${dir}-site`;

let started = performance.now();
const compiled = await compile(dir);
const compileMs = performance.now() - started;
const loaded = await loadProject(dir);
started = performance.now();
const model = buildCatalogModel({
  plan: compiled.plan,
  graph: compiled.graph,
  contracts: new Map(loaded.contracts.map((doc) => [doc.value.name, doc.value])),
});
const modelMs = performance.now() - started;
started = performance.now();
await writeCatalogSite(model, site);
const writeMs = performance.now() - started;
const modelMb = statSync(join(site, 'assets', 'model.js')).size / 1e6;

// A column in the middle of the chained staging datasets, with lineage both ways.
const middle = Math.floor(shape.pipelines / 2);
const column = `staging.t${middle}.c3`;
const executablePath = process.env.PIPECTL_CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const index = pathToFileURL(join(site, 'index.html')).href;
const samples: { listMs: number; explorerMs: number; searchMs: number; drawn: number }[] = [];
try {
  for (let run = 0; run < Number(values.runs); run++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let t = performance.now();
    await page.goto(index);
    await page.getByRole('heading', { name: /^Contracts/ }).waitFor();
    const listMs = performance.now() - t;
    t = performance.now();
    await page.goto(`${index}#/explorer/${column}?hops=3&dir=both`);
    await page.locator('canvas').first().waitFor();
    await page.getByText(/nodes? drawn/).waitFor();
    const explorerMs = performance.now() - t;
    const drawn = Number((await page.getByText(/nodes? drawn/).textContent())?.match(/(\d+) nodes?/)?.[1]);
    t = performance.now();
    await page.goto(`${index}#/search/t${middle}.c17`);
    await page
      .getByRole('link', { name: `staging.t${middle}.c17` })
      .first()
      .waitFor();
    const searchMs = performance.now() - t;
    samples.push({ listMs, explorerMs, searchMs, drawn });
    await page.close();
  }
} finally {
  await browser.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;
console.log(
  `project   ${shape.contracts} contracts × ${shape.columns} columns, ${shape.pipelines} pipelines`,
);
console.log(
  `build     compile ${ms(compileMs)}, model ${ms(modelMs)}, write ${ms(writeMs)}; model.js ${modelMb.toFixed(1)} MB`,
);
console.log(`browser   median of ${samples.length}, Chromium from file://`);
console.log(`  contract list shown       ${ms(median(samples.map((s) => s.listMs)))}`);
console.log(
  `  explorer on ${column}  ${ms(median(samples.map((s) => s.explorerMs)))} (${samples[0]?.drawn} nodes drawn, 3 hops)`,
);
console.log(`  search result shown       ${ms(median(samples.map((s) => s.searchMs)))}`);
