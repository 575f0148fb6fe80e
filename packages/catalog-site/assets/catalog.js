// The catalog site's script: renders pages from window.PIPECTL_CATALOG (assets/model.js) by the
// URL's fragment (#/contract/<name>, #/pipeline/<name>, #/explorer/<target>, #/search/<text>).
// Plain browser JavaScript, no build step; the lineage explorer draws with cytoscape, and only a
// neighbourhood of the chosen node (N hops, capped), never the whole graph.
(() => {
  const model = window.PIPECTL_CATALOG;
  const page = document.getElementById('page');
  const MAX_DRAWN = 200;

  const datasets = new Map(model.datasets.map((d) => [d.name, d]));
  const pipelines = new Map(model.pipelines.map((p) => [p.name, p]));
  /** Adjacency of dataset and column edges, both directions. */
  const adjacency = (edges) => {
    const out = new Map();
    const into = new Map();
    for (const e of edges) {
      if (!out.has(e.from)) out.set(e.from, []);
      if (!into.has(e.to)) into.set(e.to, []);
      out.get(e.from).push(e);
      into.get(e.to).push(e);
    }
    return { out, into };
  };
  const datasetGraph = adjacency(model.datasetEdges);
  const columnGraph = adjacency(model.columnEdges);

  /** h('a', { href: '#/' }, 'text', child) */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Number.POSITIVE_INFINITY)) {
      if (child === undefined || child === null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }
  const link = (route, text, attrs = {}) => h('a', { href: `#/${route}`, ...attrs }, text ?? route);
  const contractLink = (name) => (datasets.has(name) ? link(`contract/${name}`, name) : h('span', {}, name));
  const columnLink = (name) => {
    const dataset = name.split('.').slice(0, 2).join('.');
    const column = name.split('.').slice(2).join('.');
    return datasets.has(dataset) ? link(`contract/${dataset}/${column}`, name) : h('span', {}, name);
  };
  const stepLink = (via) => link(`pipeline/${via.split('/')[0]}`, via);
  const list = (items, render, attrs = {}) =>
    items.length === 0
      ? h('p', { class: 'empty' }, 'none')
      : h(
          'ul',
          attrs,
          items.map((i) => h('li', {}, render(i))),
        );
  const table = (head, rows, attrs = {}) =>
    h(
      'table',
      attrs,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((x) => h('th', {}, x)),
        ),
      ),
      h('tbody', {}, rows),
    );
  const badge = (text, kind) => h('span', { class: `badge ${kind ?? text}` }, text);
  const sourceNote = (state, what) =>
    state.state === 'read'
      ? null
      : h('p', { class: 'note' }, `${what} not read (${state.state})${state.note ? `: ${state.note}` : ''}.`);

  // ---- pages ----
  function home() {
    const filter = h('input', { id: 'filter', type: 'search', placeholder: 'filter by name, owner or tag' });
    const body = h('div');
    const draw = () => {
      const q = filter.value.trim().toLowerCase();
      const match = (d) => !q || `${d.name} ${d.owner} ${d.tags.join(' ')}`.toLowerCase().includes(q);
      const shown = model.datasets.filter(match);
      body.replaceChildren(
        h('h2', {}, `Contracts (${shown.length}${shown.length > 300 ? ', first 300 shown' : ''})`),
        table(
          ['dataset', 'owner', 'version', 'mode', 'columns', 'produced by'],
          shown
            .slice(0, 300)
            .map((d) =>
              h(
                'tr',
                {},
                h('td', {}, contractLink(d.name)),
                h('td', {}, d.owner),
                h('td', {}, d.version),
                h('td', {}, d.compatibility),
                h('td', {}, d.columns.length),
                h('td', {}, d.producedBy ?? '—'),
              ),
            ),
          { id: 'contracts' },
        ),
        h('h2', {}, `Pipelines (${model.pipelines.length})`),
        table(
          ['pipeline', 'owner', 'schedule', 'steps'],
          model.pipelines
            .slice(0, 300)
            .map((p) =>
              h(
                'tr',
                {},
                h('td', {}, link(`pipeline/${p.name}`, p.name)),
                h('td', {}, p.owner ?? '—'),
                h('td', {}, p.schedule ? `${p.schedule.cron} (${p.schedule.timezone})` : 'manual'),
                h('td', {}, p.steps.length),
              ),
            ),
          { id: 'pipelines' },
        ),
      );
    };
    filter.addEventListener('input', draw);
    draw();
    return [
      h('h1', {}, model.project.name),
      model.project.description ? h('p', {}, model.project.description) : null,
      h(
        'p',
        { class: 'meta' },
        `${model.datasets.length} contracts, ${model.pipelines.length} pipelines · generated ${model.project.generatedAt}`,
      ),
      sourceNote(model.project.warehouse, 'Warehouse registry'),
      sourceNote(model.project.runs, 'Temporal runs'),
      filter,
      body,
    ];
  }

  function contractPage(name, column) {
    const d = datasets.get(name);
    if (!d) return notFound(`contract ${name}`);
    const columnRows = d.columns.map((c) =>
      h(
        'tr',
        { id: `column-${c.name}`, class: c.name === column ? 'selected' : undefined },
        h('td', {}, h('code', {}, c.name)),
        h('td', {}, c.type),
        h('td', {}, [
          c.primaryKey ? badge('key', 'key') : null,
          c.unique ? badge('unique', 'key') : null,
          c.nullable ? null : badge('not null', 'plain'),
        ]),
        h('td', {}, c.references ? columnLink(c.references) : ''),
        h('td', {}, c.pii ? badge(c.pii, 'pii') : ''),
        h(
          'td',
          {},
          c.description ?? '',
          c.acceptedValues ? h('div', { class: 'meta' }, `values: ${c.acceptedValues.join(', ')}`) : null,
        ),
        h(
          'td',
          {},
          link(`explorer/${d.name}.${c.name}`, 'lineage'),
          ' ',
          h(
            'span',
            { class: 'meta' },
            `${model.impact[`${d.name}.${c.name}`]?.columns.length ?? 0} downstream`,
          ),
        ),
      ),
    );
    const impact = model.impact[d.name];
    const versions = d.versions.slice().reverse();
    const nodes = [
      h('h1', {}, d.name, ' ', h('span', { class: 'version' }, d.version)),
      d.description ? h('p', {}, d.description) : null,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'owner'),
        h('dd', {}, d.owner),
        h('dt', {}, 'approvers'),
        h('dd', {}, d.approvers.join(', ') || 'none listed'),
        h('dt', {}, 'compatibility'),
        h('dd', {}, d.compatibility),
        h('dt', {}, 'produced by'),
        h('dd', {}, d.producedBy ? stepLink(d.producedBy) : 'nothing in the project'),
        h('dt', {}, 'read by'),
        h('dd', {}, d.readBy.length ? d.readBy.map((s, i) => [i ? ', ' : '', stepLink(s)]) : 'no step'),
        h('dt', {}, 'freshness'),
        h(
          'dd',
          {},
          d.freshness
            ? `${d.freshness.column} at most ${d.freshness.maxAge} old (${d.freshness.severity})`
            : 'no promise',
        ),
        h('dt', {}, 'tags'),
        h('dd', {}, d.tags.join(', ') || '—'),
        h('dt', {}, 'file'),
        h('dd', {}, h('code', {}, d.file)),
        h('dt', {}, 'lineage'),
        h('dd', {}, link(`explorer/${d.name}`, 'open in the explorer')),
      ),
      h('h2', {}, 'Columns'),
      table(['column', 'type', 'keys', 'references', 'PII', 'description', ''], columnRows, {
        id: 'columns',
      }),
      h('h2', {}, 'Checks'),
      sourceNote(model.project.warehouse, 'Latest results: the warehouse was'),
      d.quality.length === 0
        ? h('p', { class: 'empty' }, 'no dataset-level checks (column promises above are checked too)')
        : table(
            ['check', 'kind', 'severity', 'settings'],
            d.quality.map((q) =>
              h(
                'tr',
                {},
                h('td', {}, q.id),
                h('td', {}, q.check),
                h('td', {}, badge(q.severity)),
                h('td', {}, h('code', {}, q.detail)),
              ),
            ),
          ),
      checkResultsView(d),
      d.waivers.length
        ? [
            h('h3', {}, 'Waived compatibility rules'),
            list(d.waivers, (w) => `${w.rule}${w.path ? ` at ${w.path}` : ''}: ${w.reason}`),
          ]
        : null,
      h('h2', {}, 'A change to this dataset reaches'),
      impactView(impact),
      h('h2', {}, 'Version history'),
      d.versions.length === 0
        ? h(
            'p',
            { class: 'empty' },
            model.project.warehouse.state === 'read'
              ? 'never published'
              : 'the warehouse registry was not read',
          )
        : table(
            ['version', 'published', 'verdict', 'changes', 'approved by', 'run'],
            versions.map((v) =>
              h(
                'tr',
                {},
                h('td', {}, v.contractVersion),
                h('td', {}, v.publishedAt),
                h('td', {}, badge(v.verdict)),
                h(
                  'td',
                  {},
                  v.changes.map((c) => h('div', {}, `${c.verdict} ${c.rule} ${c.path}`)),
                ),
                h(
                  'td',
                  {},
                  v.approval
                    ? `${v.approval.by} (${v.approval.decision})${v.approval.comment ? `: ${v.approval.comment}` : ''}`
                    : '—',
                ),
                h('td', {}, v.runUrl ? h('a', { href: v.runUrl }, v.runId) : v.runId),
              ),
            ),
            { id: 'versions' },
          ),
    ];
    if (column)
      setTimeout(() => document.getElementById(`column-${column}`)?.scrollIntoView({ block: 'center' }));
    return nodes;
  }

  /** The colour a result is drawn in: pass, warn (a warning, or rows quarantined), fail, or none. */
  const tone = (r) =>
    r.status === 'pass'
      ? 'pass'
      : r.status === 'quarantined' || (r.status === 'fail' && r.severity === 'warn')
        ? 'warn'
        : r.status === 'fail' || r.status === 'error'
          ? 'fail'
          : 'none';
  const runRef = (r) => (r.runUrl ? h('a', { href: r.runUrl }, r.runId) : r.runId);

  /** Each check's latest result and a strip of its last results (oldest left), from the warehouse. */
  function checkResultsView(d) {
    if (model.project.warehouse.state !== 'read') return null;
    if (d.checkResults.length === 0)
      return h(
        'p',
        { class: 'empty', id: 'check-results' },
        'no recorded results: they are kept when a step builds this dataset (not when a source lands it)',
      );
    // What fails now first, then what warns, then the rest; by id within each.
    const rank = { fail: 0, warn: 1, none: 2, pass: 3 };
    const checks = d.checkResults.slice().sort((a, b) => rank[tone(a.latest)] - rank[tone(b.latest)]);
    return [
      h('h3', {}, 'Latest results'),
      h(
        'p',
        { class: 'meta' },
        'The last gates that ran each check, oldest left: ',
        h('span', { class: 'tick pass' }),
        ' passed, ',
        h('span', { class: 'tick warn' }),
        ' warned or quarantined rows, ',
        h('span', { class: 'tick fail' }),
        ' failed; underlined, that gate blocked the publication.',
      ),
      table(
        ['check', 'column', 'severity', 'latest', 'observed', 'when', 'run', 'trend'],
        checks.map((c) =>
          h(
            'tr',
            { id: `result-${c.id}` },
            h('td', {}, h('code', {}, c.id), h('div', { class: 'meta' }, `${c.kind} · ${c.origin}`)),
            h('td', {}, c.column ?? ''),
            h('td', {}, badge(c.severity, 'plain')),
            h(
              'td',
              { class: 'latest' },
              badge(c.latest.status, tone(c.latest)),
              c.latest.outcome === 'blocked' && tone(c.latest) === 'fail' && c.latest.severity === 'error'
                ? h('div', { class: 'meta' }, 'blocked the publication')
                : null,
            ),
            h('td', {}, c.latest.observed, h('div', { class: 'meta' }, `expected ${c.latest.expected}`)),
            h(
              'td',
              { class: 'when', title: c.latest.checkedAt },
              c.latest.checkedAt.replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z'),
            ),
            h(
              'td',
              { class: 'run' },
              runRef(c.latest),
              h('div', { class: 'meta' }, `version ${c.latest.contractVersion}`),
            ),
            h(
              'td',
              { class: 'trend-cell' },
              h(
                'span',
                {
                  class: 'trend',
                  role: 'img',
                  'aria-label': `last ${c.trend.length}: ${c.trend.filter((r) => r.passed).length} passed`,
                },
                c.trend.map((r) =>
                  h('span', {
                    class: `tick ${tone(r)}${r.outcome === 'blocked' ? ' blocked' : ''}`,
                    'data-status': r.status,
                    title: `${r.checkedAt} ${r.runId}: ${r.status}${r.outcome === 'blocked' ? ' (blocked)' : ''} — ${r.observed}`,
                  }),
                ),
              ),
              h('span', { class: 'meta' }, ` ${c.trend.filter((r) => r.passed).length}/${c.trend.length}`),
            ),
          ),
        ),
        { id: 'check-results' },
      ),
    ];
  }

  function impactView(impact) {
    if (!impact) return h('p', { class: 'empty' }, 'unknown');
    return h(
      'div',
      { class: 'impact' },
      h('h3', {}, `Datasets (${impact.datasets.length})`),
      list(
        impact.datasets,
        (x) => [
          contractLink(x.name),
          h('span', { class: 'meta' }, ` ${x.owner} · ${x.distance} hop${x.distance > 1 ? 's' : ''}`),
        ],
        { id: 'impact-datasets' },
      ),
      h('h3', {}, `Columns (${impact.columns.length})`),
      list(impact.columns, (x) => columnLink(x), { id: 'impact-columns' }),
      h('h3', {}, `Pipelines (${impact.pipelines.length})`),
      list(
        impact.pipelines,
        (x) => [
          link(`pipeline/${x.name}`, x.name),
          x.owner ? h('span', { class: 'meta' }, ` ${x.owner}`) : null,
        ],
        { id: 'impact-pipelines' },
      ),
      h('h3', {}, `Owners to tell (${impact.owners.length})`),
      list(impact.owners, (x) => x, { id: 'impact-owners' }),
    );
  }

  function pipelinePage(name) {
    const p = pipelines.get(name);
    if (!p) return notFound(`pipeline ${name}`);
    return [
      h('h1', {}, p.name),
      p.description ? h('p', {}, p.description) : null,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'owner'),
        h('dd', {}, p.owner ?? '—'),
        h('dt', {}, 'schedule'),
        h('dd', {}, p.schedule ? `${p.schedule.cron} (${p.schedule.timezone})` : 'manual runs only'),
        h('dt', {}, 'after pipelines'),
        h(
          'dd',
          {},
          p.dependsOnPipelines.length
            ? p.dependsOnPipelines.map((x, i) => [i ? ', ' : '', link(`pipeline/${x}`, x)])
            : '—',
        ),
        h('dt', {}, 'file'),
        h('dd', {}, h('code', {}, p.file)),
      ),
      h('h2', {}, 'Sources'),
      p.sources.length === 0
        ? h('p', { class: 'empty' }, 'none')
        : table(
            ['source', 'from', 'lands'],
            p.sources.map((s) =>
              h(
                'tr',
                {},
                h('td', {}, s.name),
                h('td', {}, h('code', {}, s.from)),
                h('td', {}, contractLink(s.dataset)),
              ),
            ),
            { id: 'sources' },
          ),
      h('h2', {}, 'Steps'),
      table(
        ['step', 'produces', 'materialized', 'reads', 'after', 'gates'],
        p.steps.map((s) =>
          h(
            'tr',
            {},
            h('td', {}, s.name, s.sqlFile ? h('div', { class: 'meta' }, s.sqlFile) : null),
            h('td', {}, contractLink(s.produces)),
            h('td', {}, s.materialized),
            h(
              'td',
              {},
              s.reads.map((r) => h('div', {}, contractLink(r))),
            ),
            h('td', {}, s.dependsOn.join(', ') || '—'),
            h(
              'td',
              {},
              s.gates.map((g) => h('div', {}, `${g.id} (${g.severity})`)),
            ),
          ),
        ),
        { id: 'steps' },
      ),
      h('h2', {}, 'Last runs'),
      sourceNote(model.project.runs, 'Temporal'),
      p.runs.length === 0
        ? h('p', { class: 'empty' }, 'no runs found')
        : table(
            ['run', 'status', 'logical date', 'started', 'closed'],
            p.runs.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, r.url ? h('a', { href: r.url }, r.runId) : r.runId),
                h('td', {}, badge(r.status)),
                h('td', {}, r.logicalDate ?? '—'),
                h('td', {}, r.startTime),
                h('td', {}, r.closeTime ?? '—'),
              ),
            ),
            { id: 'runs' },
          ),
    ];
  }

  // ---- search ----
  function searchHits(text, limit) {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    const scored = [];
    for (const entry of model.search) {
      const name = entry.name.toLowerCase();
      const score =
        name === q || name.endsWith(`.${q}`)
          ? 0
          : name.includes(q)
            ? 1
            : entry.text.toLowerCase().includes(q)
              ? 2
              : -1;
      if (score >= 0) scored.push([score, entry]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
    return scored.slice(0, limit).map(([, entry]) => entry);
  }
  const hitView = (e) => [
    badge(e.kind, 'kind'),
    ' ',
    link(e.page, e.name, { class: 'hit' }),
    e.text.trim() ? h('span', { class: 'meta' }, ` ${e.text.trim().slice(0, 80)}`) : null,
  ];

  function searchPage(text) {
    const q = text.toLowerCase();
    const byOwner = model.datasets.filter((d) => d.owner.toLowerCase() === q);
    const byTag = model.datasets.filter(
      (d) =>
        d.tags.some((t) => t.toLowerCase() === q) ||
        d.columns.some((c) => c.tags.some((t) => t.toLowerCase() === q)),
    );
    const hits = searchHits(text, 200);
    return [
      h('h1', {}, `Search: ${text}`),
      byOwner.length ? [h('h2', {}, `Owned by ${text}`), list(byOwner, (d) => contractLink(d.name))] : null,
      byTag.length ? [h('h2', {}, `Tagged ${text}`), list(byTag, (d) => contractLink(d.name))] : null,
      h('h2', {}, `Matches (${hits.length})`),
      list(hits, hitView, { id: 'search-results' }),
    ];
  }

  const search = document.getElementById('search');
  const hitsBox = document.getElementById('search-hits');
  search.addEventListener('input', () => {
    const hits = searchHits(search.value, 12);
    hitsBox.replaceChildren(...hits.map((e) => h('li', {}, hitView(e))));
    hitsBox.hidden = hits.length === 0;
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && search.value.trim())
      location.hash = `#/search/${encodeURIComponent(search.value.trim())}`;
    if (event.key === 'Escape') hitsBox.hidden = true;
  });
  hitsBox.addEventListener('click', () => {
    hitsBox.hidden = true;
  });

  // ---- lineage explorer ----
  let cy;
  function explorer(target, params) {
    const hops = Math.max(1, Math.min(6, Number(params.get('hops') ?? 2) || 2));
    const direction = params.get('dir') ?? 'both';
    const input = h('input', {
      id: 'explorer-target',
      list: 'explorer-names',
      value: target,
      placeholder: 'schema.table or schema.table.column',
      size: 48,
    });
    const names = h('datalist', { id: 'explorer-names' });
    input.addEventListener('input', () => {
      const q = input.value.toLowerCase();
      const found =
        q.length < 2 ? [] : searchHits(q, 30).filter((e) => e.kind === 'dataset' || e.kind === 'column');
      names.replaceChildren(...found.map((e) => h('option', { value: e.name })));
    });
    const hopsSelect = h(
      'select',
      { id: 'explorer-hops' },
      [1, 2, 3, 4, 5, 6].map((n) =>
        h('option', { value: n, selected: n === hops }, `${n} hop${n > 1 ? 's' : ''}`),
      ),
    );
    const dirSelect = h(
      'select',
      { id: 'explorer-direction' },
      ['both', 'upstream', 'downstream'].map((d) => h('option', { value: d, selected: d === direction }, d)),
    );
    const go = () => {
      location.hash = `#/explorer/${encodeURIComponent(input.value.trim())}?hops=${hopsSelect.value}&dir=${dirSelect.value}`;
    };
    const form = h(
      'form',
      {
        class: 'explorer-form',
        onsubmit: (e) => {
          e.preventDefault();
          go();
        },
      },
      input,
      names,
      hopsSelect,
      dirSelect,
      h('button', { type: 'submit' }, 'Show'),
    );
    hopsSelect.addEventListener('change', go);
    dirSelect.addEventListener('change', go);
    const header = [h('h1', {}, 'Lineage explorer'), form];
    if (!target)
      return [
        ...header,
        h(
          'p',
          {},
          'Pick a dataset or a column (type to search), or open one from its contract page. Only a neighbourhood is drawn: choose how many hops.',
        ),
      ];
    const isDataset = datasets.has(target);
    const dataset = target.split('.').slice(0, 2).join('.');
    const isColumn =
      !isDataset && datasets.get(dataset)?.columns.some((c) => `${dataset}.${c.name}` === target);
    if (!isDataset && !isColumn) return [...header, notFound(`dataset or column ${target}`)];
    const graph = isDataset ? datasetGraph : columnGraph;
    const { nodes, edges, truncated } = neighbourhood(graph, target, hops, direction);
    const canvas = h('div', { id: 'graph' });
    const impact = model.impact[target];
    const side = h(
      'aside',
      { id: 'impact' },
      h('h2', {}, isDataset ? 'Dataset ' : 'Column ', h('code', {}, target)),
      isColumn ? h('p', {}, 'In ', contractLink(dataset)) : h('p', {}, contractLink(target)),
      h(
        'p',
        { class: 'meta' },
        `${nodes.size} nodes drawn (${hops} hop${hops > 1 ? 's' : ''}, ${direction})${truncated ? `; capped at ${MAX_DRAWN}: narrow it with fewer hops or one direction` : ''}. Click a node to focus on it.`,
      ),
      h('h2', {}, 'A change here reaches'),
      impactView(impact),
    );
    setTimeout(() => draw(canvas, target, nodes, edges, isDataset));
    return [...header, h('div', { class: 'explorer' }, canvas, side)];
  }

  /** Nodes within `hops` of `target` (breadth first, capped), and the edges among them. */
  function neighbourhood(graph, target, hops, direction) {
    const { nodes, truncated } = reachWithin(graph, target, hops, direction);
    return { nodes, edges: edgesAmong(graph, nodes), truncated };
  }

  /** Nodes within `hops` of `target` by their distance, breadth first; truncated when MAX_DRAWN cut it. */
  function reachWithin(graph, target, hops, direction) {
    const nodes = new Map([[target, 0]]);
    let frontier = [target];
    let truncated = false;
    for (let hop = 1; hop <= hops && frontier.length > 0; hop++) {
      const next = [];
      for (const name of frontier) {
        if (!addUnseen(nodes, neighbours(graph, name, direction), hop, next)) truncated = true;
      }
      frontier = next;
    }
    return { nodes, truncated };
  }

  /** The names one edge from `name`: downstream, upstream or both. */
  function neighbours(graph, name, direction) {
    return [
      ...(direction !== 'upstream' ? (graph.out.get(name) ?? []).map((e) => e.to) : []),
      ...(direction !== 'downstream' ? (graph.into.get(name) ?? []).map((e) => e.from) : []),
    ];
  }

  /** Adds the names not yet in `nodes` at distance `hop` (and to `next`); false when MAX_DRAWN stopped it. */
  function addUnseen(nodes, names, hop, next) {
    for (const other of names) {
      if (nodes.has(other)) continue;
      if (nodes.size >= MAX_DRAWN) return false;
      nodes.set(other, hop);
      next.push(other);
    }
    return true;
  }

  /** The edges whose both ends are in `nodes`, each once. */
  function edgesAmong(graph, nodes) {
    const edges = [];
    const seen = new Set();
    for (const name of nodes.keys()) {
      for (const e of graph.out.get(name) ?? []) {
        const key = `${e.from}>${e.to}`;
        if (nodes.has(e.to) && !seen.has(key)) {
          seen.add(key);
          edges.push(e);
        }
      }
    }
    return edges;
  }

  function draw(container, target, nodes, edges, isDataset) {
    if (cy) cy.destroy();
    const elements = [
      ...[...nodes.keys()].map((name) => ({
        data: {
          id: name,
          label:
            isDataset || datasets.has(name)
              ? name
              : `${name.split('.').slice(2).join('.')}\n${name.split('.').slice(0, 2).join('.')}`,
          kind: datasets.has(name) ? 'dataset' : name.includes(': ') ? 'origin' : 'column',
        },
        classes:
          name === target
            ? 'target'
            : model.impact[target]?.columns.includes(name) ||
                model.impact[target]?.datasets.some((d) => d.name === name)
              ? 'reached'
              : '',
      })),
      ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, label: e.via } })),
    ];
    cy = window.cytoscape({
      container,
      elements,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'text-wrap': 'wrap',
            'font-size': 11,
            'text-valign': 'center',
            'text-halign': 'center',
            shape: 'round-rectangle',
            width: 'label',
            height: 'label',
            padding: 8,
            'background-color': '#eef2f7',
            'border-width': 1,
            'border-color': '#8a9bb0',
          },
        },
        {
          selector: 'node[kind = "origin"]',
          style: { 'background-color': '#f7f3e8', 'border-style': 'dashed' },
        },
        { selector: 'node.reached', style: { 'background-color': '#fde8d8', 'border-color': '#d9822b' } },
        {
          selector: 'node.target',
          style: {
            'background-color': '#1f6feb',
            color: '#fff',
            'border-color': '#1f6feb',
            'font-weight': 'bold',
          },
        },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            'curve-style': 'bezier',
            'target-arrow-shape': 'triangle',
            'line-color': '#9aa7b5',
            'target-arrow-color': '#9aa7b5',
          },
        },
        { selector: 'edge:selected', style: { label: 'data(label)', 'font-size': 9 } },
      ],
      layout: {
        name: 'breadthfirst',
        directed: true,
        roots: elements
          .filter((e) => !e.data.source && !edges.some((x) => x.to === e.data.id))
          .map((e) => e.data.id),
        spacingFactor: 1.1,
        padding: 20,
      },
    });
    cy.on('tap', 'node', (event) => {
      const id = event.target.id();
      if (id !== target && !id.includes(': '))
        location.hash = `#/explorer/${encodeURIComponent(id)}${location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?')) : ''}`;
    });
    container.dataset.nodes = String(nodes.size);
    container.dataset.ready = 'true';
  }

  function notFound(what) {
    return [
      h('h1', {}, 'Not found'),
      h('p', {}, `No ${what} in this project. `, link('', 'Back to the catalog')),
    ];
  }

  // ---- router ----
  function route() {
    const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
    const [path, query] = hash.split('?');
    const params = new URLSearchParams(query ?? '');
    const [kind, ...rest] = path.split('/');
    const name = rest.join('/');
    let content;
    if (kind === 'contract') {
      const dataset = rest[0] ?? '';
      content = contractPage(dataset, rest.slice(1).join('/') || undefined);
    } else if (kind === 'pipeline') content = pipelinePage(name);
    else if (kind === 'explorer') content = explorer(name, params);
    else if (kind === 'search') content = searchPage(name);
    else content = home();
    page.replaceChildren(...[content].flat(3).filter(Boolean));
    page.dataset.route = kind || 'home';
    document.title = `${name || model.project.name} · pipectl catalog`;
  }
  window.addEventListener('hashchange', () => {
    window.scrollTo(0, 0);
    route();
  });
  route();
})();
