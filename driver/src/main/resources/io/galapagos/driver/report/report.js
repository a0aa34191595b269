// Galapagos report: draws the JSON in #report-data with Apache ECharts (inlined above). Everything is drawn at once,
// without animation or progressive rendering, so that the page is complete when this script ends and
// <html data-rendered> says how long it took (the browser test and the scale benchmark read it).
(function () {
  'use strict';
  const DATA = JSON.parse(document.getElementById('report-data').textContent);
  const main = document.getElementById('main');
  const COLOURS = { completed: '#2f6fb0', infeasible: '#9aa5b1', failed: '#c0392b', lower: '#9cc3e6',
    supernet: '#e08e2b', pareto: '#d6336c', best: '#1b9e77' };
  const PALETTE = ['#2f6fb0', '#e08e2b', '#1b9e77', '#d6336c', '#7b61c4', '#8c6d31', '#17becf', '#bcbd22'];
  const charts = [];

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => { if (k === 'text') e.textContent = v; else e.setAttribute(k, v); });
    (children || []).forEach(c => e.appendChild(c));
    return e;
  }

  function section(title, note) {
    const s = el('section', {}, [el('h2', { text: title })]);
    if (note) s.appendChild(el('p', { class: 'note', text: note }));
    main.appendChild(s);
    return s;
  }

  function chart(parent, id, option, tall) {
    const div = el('div', { class: tall ? 'chart tall' : 'chart', id: id });
    parent.appendChild(div);
    const c = echarts.init(div, null, { renderer: 'canvas' });
    c.setOption(Object.assign({ animation: false, color: PALETTE, textStyle: { fontFamily: 'system-ui, sans-serif' } },
      option));
    charts.push(c);
    return c;
  }

  function empty(parent, text) {
    parent.appendChild(el('p', { class: 'empty', text: text }));
  }

  function fmt(v, digits) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v) && Math.abs(v) >= 1000) return v.toLocaleString('en');
    return Number(v.toPrecision(digits || 6)).toString();
  }

  // Large series draw as one shape, fast for 10,000 points; hovering still finds the point.
  function points(name, data, colour, extra) {
    return Object.assign({ type: 'scatter', name: name, data: data, symbolSize: 5, itemStyle: { color: colour },
      large: true, largeThreshold: 2000, progressive: 0, emphasis: { focus: 'none' } }, extra || {});
  }

  const tooltip = { trigger: 'item', confine: true, formatter: p => describe(p.data[2]) };

  if (DATA.kind === 'bench') {
    benchReport();
  } else {
    searchReport();
  }
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));
  document.documentElement.dataset.rendered = String(Math.round(performance.now()));

  // ---------------------------------------------------------------------------------------------- search reports

  function searchReport() {
    const R = DATA.results;
    const n = R.trial.length;
    const objective = DATA.objectives[0];
    const sign = objective.goal === 'max' ? 1 : -1;
    const score = R.metrics[objective.metric] || new Array(n).fill(null);
    const status = i => R.statuses[R.status[i]];
    const fidelity = i => R.fidelities[R.fidelity[i]];
    header(R, n, objective, score);
    if (n === 0) {
      empty(section('Results'), 'No results yet: the search has journaled no trial.');
      provenance();
      return;
    }
    progress(R, n, objective, score, sign, status, fidelity);
    costs(R, n, objective, score, status, fidelity);
    timeline(R, n, status);
    decisions(R, n, objective, score, sign);
    leaderboard(R, n, objective, status, fidelity);
    provenance();
  }

  function describe(i) {
    const R = DATA.results;
    const lines = ['<b>trial ' + R.trial[i] + '</b> (' + R.statuses[R.status[i]] + ', ' + R.fidelities[R.fidelity[i]] + ')',
      escapeHtml(R.architectures[R.arch[i]])];
    Object.keys(R.metrics).forEach(m => { if (R.metrics[m][i] !== null) lines.push(m + ': ' + fmt(R.metrics[m][i])); });
    if (R.reason[i] >= 0) lines.push('<i>' + escapeHtml(R.reasons[R.reason[i]]) + '</i>');
    return lines.join('<br>');
  }

  function escapeHtml(t) {
    return String(t).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  }

  function header(R, n, objective, score) {
    const S = DATA.study;
    const h = document.getElementById('header');
    const counts = {};
    R.status.forEach(s => { counts[R.statuses[s]] = (counts[R.statuses[s]] || 0) + 1; });
    const countText = Object.entries(counts).map(([s, c]) => c + ' ' + s).join(', ') || 'no results';
    const order = ranking(R);
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (R.counts[i] && (best < 0 || order(i, best) < 0)) best = i;
    }
    h.appendChild(el('p', { text: [S.strategy && 'strategy ' + S.strategy, S.trainer && 'trainer ' + S.trainer,
      S.space_size && 'space of ' + Number(S.space_size).toLocaleString('en') + ' architectures',
      S.trials && S.trials + ' trials configured', 'seed ' + S.seed].filter(Boolean).join(' · ') }));
    h.appendChild(el('p', { text: n + ' results: ' + countText + (best >= 0 ? '. Best ' + objective.metric + ' '
      + fmt(score[best]) + ' (trial ' + R.trial[best] + '): ' + R.architectures[R.arch[best]] : '') }));
    h.appendChild(el('p', { text: 'Output ' + DATA.output + ' · report made ' + DATA.generated }));
  }

  // Results that count, best first, as leaderboard.csv and best.json rank them (ranked on the driver, on exact values).
  function ranking(R) {
    return (a, b) => R.rank[a] - R.rank[b];
  }

  function progress(R, n, objective, score, sign, status, fidelity) {
    const s = section('Progress', 'Best ' + objective.metric + ' so far, against results journaled and against time '
      + 'since the study began; each dot is a result that counts (completed at full fidelity or the highest level).'
      + (R.fidelities.includes('supernet') ? ' Results measured on shared weights are drawn apart.' : ''));
    const grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    const lines = { counted: [[], [], []], supernet: [[], [], []] };
    const best = { counted: null, supernet: null };
    for (let i = 0; i < n; i++) {
      const kind = R.counts[i] ? 'counted' : (fidelity(i) === 'supernet' && status(i) === 'completed' ? 'supernet' : null);
      if (!kind || score[i] === null) continue;
      if (best[kind] === null || sign * score[i] > sign * best[kind]) best[kind] = score[i];
      lines[kind][0].push([i + 1, best[kind]]);
      lines[kind][1].push([R.end[i], best[kind]]);
      lines[kind][2].push([i + 1, score[i], i]);
    }
    [['progress-trials', 0, 'results journaled'], ['progress-time', 1, 'seconds since the study began']]
      .forEach(([id, axis, label]) => {
        const series = [{ type: 'line', name: 'best so far', step: 'end', showSymbol: false, data: lines.counted[axis],
          lineStyle: { width: 2, color: COLOURS.best }, itemStyle: { color: COLOURS.best } }];
        if (axis === 0) series.push(points('results', lines.counted[2], COLOURS.completed));
        if (lines.supernet[0].length) {
          series.push({ type: 'line', name: 'best on shared weights', step: 'end', showSymbol: false,
            data: lines.supernet[axis], lineStyle: { width: 2, color: COLOURS.supernet }, itemStyle: { color: COLOURS.supernet } });
        }
        chart(grid, id, { title: { text: 'Best ' + objective.metric + ' so far', left: 'center', textStyle: { fontSize: 14 } },
          legend: { bottom: 0 }, grid: { left: 60, right: 20, top: 40, bottom: 60 },
          tooltip: { trigger: 'item', confine: true, formatter: p => p.seriesType === 'scatter' ? describe(p.data[2])
              : p.seriesName + ': ' + fmt(p.data[1]) + ' at ' + fmt(p.data[0]) },
          xAxis: { type: 'value', name: label, nameLocation: 'middle', nameGap: 26, min: 0 },
          yAxis: { type: 'value', name: objective.metric, scale: true }, series: series });
      });
  }

  function costs(R, n, objective, score, status, fidelity) {
    const several = DATA.objectives.length > 1;
    const s = section('Cost and ' + objective.metric, 'Every result with the metric, against its cost (log scale). '
      + (several ? 'The Pareto front of ' + DATA.objectives.map(o => o.metric + (o.goal === 'max' ? ' up' : ' down'))
        .join(', ') + ' is drawn in red. ' : '') + 'Hover over a point for its architecture.');
    if (!R.costs.length) {
      empty(s, 'The results carry no cost metrics (this trainer measures none).');
      return;
    }
    const grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    R.costs.forEach(metric => {
      const x = R.metrics[metric];
      const groups = { completed: [], 'lower fidelity': [], 'shared weights': [], infeasible: [], 'Pareto front': [] };
      for (let i = 0; i < n; i++) {
        if (x[i] === null || score[i] === null || !(x[i] > 0)) continue;
        const st = status(i);
        const group = st === 'infeasible' ? 'infeasible' : st !== 'completed' ? null
          : R.counts[i] ? 'completed' : fidelity(i) === 'supernet' ? 'shared weights' : 'lower fidelity';
        if (group) groups[group].push([x[i], score[i], i]);
        if (R.pareto[i]) groups['Pareto front'].push([x[i], score[i], i]);
      }
      groups['Pareto front'].sort((a, b) => a[0] - b[0]);
      const colour = { completed: COLOURS.completed, 'lower fidelity': COLOURS.lower, 'shared weights': COLOURS.supernet,
        infeasible: COLOURS.infeasible, 'Pareto front': COLOURS.pareto };
      // the front is a staircase only against a cost it was chosen on; against another it is a set of points
      const onFront = DATA.objectives.some(o => o.metric === metric);
      const series = Object.entries(groups).filter(([, d]) => d.length).map(([name, d]) => name !== 'Pareto front'
        ? points(name, d, colour[name])
        : { type: onFront ? 'line' : 'scatter', name: name, data: d, step: onFront ? 'start' : undefined,
          symbolSize: 8, lineStyle: { color: colour[name] }, itemStyle: { color: colour[name] }, z: 5 });
      chart(grid, 'cost-' + metric, { title: { text: objective.metric + ' against ' + metric, left: 'center',
        textStyle: { fontSize: 14 } }, legend: { bottom: 0 }, tooltip: tooltip, grid: { left: 60, right: 30, top: 40, bottom: 60 },
        xAxis: { type: 'log', name: metric, nameLocation: 'middle', nameGap: 26 },
        yAxis: { type: 'value', name: objective.metric, scale: true }, series: series });
    });
  }

  function timeline(R, n, status) {
    const slots = Array.from(new Set(R.slot)).sort((a, b) => a - b);
    const row = new Map(slots.map((s, k) => [s, k]));
    const s = section('Executors', 'One row per executor slot; each bar is a trial from its start to its end, gaps '
      + 'are idle time. Results answered on the driver (screened or cached) have no slot.');
    const data = [];
    for (let i = 0; i < n; i++) data.push([row.get(R.slot[i]), R.start[i], R.end[i], i, R.status[i]]);
    const statusColour = R.statuses.map(st => COLOURS[st] || COLOURS.completed);
    chart(s, 'timeline', {
      title: { text: 'Executor timeline: ' + slots.filter(x => x >= 0).length + ' slots, busy '
        + Math.round(100 * R.busy_fraction) + '% of each session\'s time from its first start to its last end',
      left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item', confine: true, formatter: p => describe(p.data[3]) + '<br>' + fmt(p.data[1]) + ' s to '
        + fmt(p.data[2]) + ' s' },
      grid: { left: 80, right: 30, top: 40, bottom: 50 },
      xAxis: { type: 'value', name: 'seconds since the study began', nameLocation: 'middle', nameGap: 26, min: 0 },
      yAxis: { type: 'category', data: slots.map(x => x < 0 ? 'driver' : 'slot ' + x), inverse: true },
      series: [{ type: 'custom', name: 'trials', data: data, progressive: 0, encode: { x: [1, 2], y: 0 },
        renderItem: (params, api) => {
          const from = api.coord([api.value(1), api.value(0)]);
          const to = api.coord([api.value(2), api.value(0)]);
          const height = Math.max(2, api.size([0, 1])[1] * 0.6);
          return { type: 'rect', shape: { x: from[0], y: from[1] - height / 2, width: Math.max(1, to[0] - from[0]),
            height: height }, style: { fill: statusColour[api.value(4)] } };
        } }]
    }, slots.length > 8);
  }

  function decisions(R, n, objective, score, sign) {
    const D = DATA.decisions;
    const s = section('Which choices matter', 'The share of the variation in ' + objective.metric + ' each decision of '
      + 'the search space explains on its own: a random forest fitted to the ' + D.counted + ' results that count, its '
      + 'prediction variance decomposed into main effects (fANOVA-style, with the other decisions averaged over the '
      + 'architectures tried), normalised to sum to 1. Below, the best so far among results with each value of the '
      + 'decisions that matter most.');
    if (!D.importance.length) {
      empty(s, 'Too few results that count, or an objective that never varied: nothing to decompose.');
      return;
    }
    const top = D.importance.slice(0, 15).reverse();
    const explained = D.importance.reduce((sum, d) => sum + d.main_effect, 0);
    chart(s, 'importance', { title: { text: 'Importance of each decision for ' + objective.metric, left: 'center',
      subtext: 'together the decisions alone explain ' + Math.round(100 * Math.min(1, explained)) + '% of the forest\'s '
        + 'variance; the rest is interactions' + (explained < 0.3 ? ' or noise: read these shares with care' : ''),
      textStyle: { fontSize: 14 } }, grid: { left: 170, right: 60, top: 60, bottom: 30 },
      tooltip: { trigger: 'item', formatter: p => p.name + ': ' + fmt(p.value, 3) + ' (alone explains '
        + fmt(top[p.dataIndex].main_effect * 100, 3) + '% of the variance)' },
      xAxis: { type: 'value', max: 1 }, yAxis: { type: 'category', data: top.map(d => d.decision) },
      series: [{ type: 'bar', data: top.map(d => d.importance), itemStyle: { color: COLOURS.completed },
        label: { show: true, position: 'right', formatter: p => Math.round(p.value * 100) + '%' } }] },
    top.length > 8);
    const grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    D.by_value.forEach((d, k) => {
      const best = d.values.map(() => null);
      const lines = d.values.map(() => []);
      for (let i = 0; i < n; i++) {
        if (!R.counts[i]) continue;
        const v = d.codes[i];
        if (best[v] === null || sign * score[i] > sign * best[v]) best[v] = score[i];
        lines[v].push([i + 1, best[v]]);
      }
      chart(grid, 'by-value-' + k, { title: { text: 'Best so far by ' + d.decision, left: 'center',
        textStyle: { fontSize: 14 } }, legend: { bottom: 0, type: 'scroll' },
      tooltip: { trigger: 'item', formatter: p => p.seriesName + ': ' + fmt(p.data[1]) + ' after ' + p.data[0] + ' results' },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'value', name: 'results journaled', nameLocation: 'middle', nameGap: 26, min: 0 },
      yAxis: { type: 'value', name: objective.metric, scale: true },
      series: d.values.map((v, j) => ({ type: 'line', name: v, step: 'end', showSymbol: false, data: lines[j],
        lineStyle: { width: 2 } })).filter(x => x.data.length) });
    });
  }

  function leaderboard(R, n, objective, status, fidelity) {
    const s = section('Leaderboard', 'Every result; those that count are ranked by ' + objective.metric
      + ' first. Click a heading to sort.');
    const metricNames = [objective.metric].concat(Object.keys(R.metrics).filter(m => m !== objective.metric));
    const columns = [
      { name: 'rank', value: i => rank.get(i) ?? null },
      { name: 'trial', value: i => R.trial[i] },
      { name: 'status', value: i => status(i), text: true },
      { name: 'fidelity', value: i => fidelity(i), text: true }
    ].concat(metricNames.map(m => ({ name: m, value: i => R.metrics[m][i] })))
      .concat([{ name: 'architecture', value: i => R.architectures[R.arch[i]], text: true, arch: true },
        { name: 'reason', value: i => R.reason[i] >= 0 ? R.reasons[R.reason[i]] : '', text: true, arch: true }]);
    const order = [];
    for (let i = 0; i < n; i++) order.push(i);
    const ranked = order.filter(i => R.counts[i]).sort(ranking(R));
    const rank = new Map(ranked.map((i, k) => [i, k + 1]));
    let rows = ranked.concat(order.filter(i => !R.counts[i]));
    let shown = 100;
    const table = el('table', { id: 'leaderboard' });
    const head = el('tr');
    table.appendChild(el('thead', {}, [head]));
    const body = el('tbody');
    table.appendChild(body);
    let sorted = { column: 0, ascending: true };
    columns.forEach((c, k) => {
      const th = el('th', { class: c.text ? 'text' : '', text: c.name });
      th.addEventListener('click', () => {
        const ascending = sorted.column === k ? !sorted.ascending : c.text;
        sorted = { column: k, ascending: ascending };
        rows = rows.slice().sort((a, b) => {
          const x = c.value(a), y = c.value(b);
          if (x === null || x === '') return 1;
          if (y === null || y === '') return -1;
          return (ascending ? 1 : -1) * (x < y ? -1 : x > y ? 1 : 0);
        });
        draw();
      });
      head.appendChild(th);
    });
    const more = el('button', { type: 'button' });
    more.addEventListener('click', () => { shown = n; draw(); });
    function draw() {
      head.querySelectorAll('th').forEach((th, k) => {
        th.className = (columns[k].text ? 'text ' : '') + (k === sorted.column ? (sorted.ascending ? 'sorted-asc' : 'sorted-desc') : '');
      });
      const fragment = document.createDocumentFragment();
      rows.slice(0, shown).forEach(i => {
        fragment.appendChild(el('tr', {}, columns.map(c => el('td', { class: c.arch ? 'text arch' : c.text ? 'text' : '',
          text: c.text ? c.value(i) : fmt(c.value(i)) }))));
      });
      body.replaceChildren(fragment);
      more.textContent = 'Show all ' + n + ' results';
      more.hidden = shown >= n;
    }
    draw();
    s.appendChild(el('div', { class: 'table-wrap' }, [table]));
    s.appendChild(more);
  }

  function provenance() {
    const s = section('Configuration and provenance');
    const facts = el('dl');
    Object.entries(DATA.study).filter(([k]) => k !== 'type').forEach(([k, v]) => {
      facts.appendChild(el('dt', { text: k }));
      facts.appendChild(el('dd', { text: typeof v === 'object' ? JSON.stringify(v) : String(v) }));
    });
    const R = DATA.results;
    [['hosts', R.hosts.join(', ')], ['hardware', (R.hardware || []).join('; ')],
      ['sessions', DATA.sessions.length + ' finished' + (DATA.sessions.length
        ? ' (' + DATA.sessions.map(x => fmt(x.wall_seconds) + ' s').join(', ') + ')' : '')]]
      .forEach(([k, v]) => { facts.appendChild(el('dt', { text: k })); facts.appendChild(el('dd', { text: v || '-' })); });
    s.appendChild(facts);
    if (DATA.problems.length) {
      s.appendChild(el('h2', { text: 'Journal lines skipped' }));
      s.appendChild(el('ul', { class: 'problems' }, DATA.problems.map(p => el('li', { text: p }))));
    }
    s.appendChild(el('h2', { text: 'config.yaml' }));
    s.appendChild(el('pre', { text: DATA.config || '(none)' }));
  }

  // ------------------------------------------------------------------------------------------------ bench reports

  function benchReport() {
    const B = DATA.bench;
    const h = document.getElementById('header');
    h.appendChild(el('p', { text: B.strategies.length + ' strategies · ' + B.seeds + ' seeds each · table ' + B.table
      + ' (' + B.rows + ' architectures) · searched on ' + B.signal + ', reported ' + B.report + ' · optimum ' + B.optimum }));
    h.appendChild(el('p', { text: 'Source ' + DATA.source + ' · report made ' + DATA.generated }));
    const s = section('Strategies', 'Mean ' + B.report + ' of the best architecture found (by ' + B.signal + ') after '
      + 'each budget of ' + budgetUnit(B) + ', over ' + B.seeds + ' seeds (over those with a full-fidelity result, where the table '
      + 'says fewer); the band is one standard deviation either side.'
      + (B.minimize ? ' With ' + B.minimize + ' minimised as well, the hypervolume of the '
        + 'front found, as a fraction of the table\'s own front\'s, the same way.' : ''));
    const grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    curves(grid, 'bench-curves', B.report, 'mean', 'sd');
    if (B.minimize) curves(grid, 'bench-hypervolume', 'hypervolume ratio', 'hypervolume_ratio_mean', 'hypervolume_ratio_sd');
    const table = el('table', { id: 'bench-table' });
    const budgets = B.strategies[0].budgets.map(b => b.budget);
    table.appendChild(el('thead', {}, [el('tr', {}, [el('th', { class: 'text', text: 'strategy' })]
      .concat(budgets.map(b => el('th', { text: 'after ' + b + ': mean ± sd (regret)' }))))]));
    table.appendChild(el('tbody', {}, B.strategies.map(st => el('tr', {}, [el('td', { class: 'text', text: st.strategy })]
      .concat(st.budgets.map(b => el('td', { text: budgetCell(b, B.seeds) })))))));
    s.appendChild(el('div', { class: 'table-wrap' }, [table]));
  }

  /** What a budget counts: queries, or with fidelity columns their cost in full-fidelity queries. */
  function budgetUnit(B) {
    return B.fidelities ? 'cost in full-fidelity queries (' + B.fidelities.map((f, k) => f + ' '
      + fmt(B.fidelity_costs[k], 4)).join(', ') + ')' : 'queries';
  }

  /** A budget's mean ± sd (regret), over the seeds with a full-fidelity result when not all have one (Hyperband). */
  function budgetCell(b, seeds) {
    if (b.mean == null) return 'no full-fidelity result';
    const found = b.seeds_with_result == null ? seeds : b.seeds_with_result;
    return fmt(b.mean, 5) + ' ± ' + fmt(b.sd, 3) + ' (' + fmt(b.mean_regret, 3) + ')'
      + (found < seeds ? ', ' + found + ' of ' + seeds + ' seeds' : '');
  }

  function curves(parent, id, label, meanKey, sdKey) {
    const B = DATA.bench;
    const series = [];
    B.strategies.forEach((st, k) => {
      const colour = PALETTE[k % PALETTE.length];
      series.push({ type: 'line', name: st.strategy, data: st.budgets.map(b => b[meanKey]), symbolSize: 6,
        lineStyle: { width: 2, color: colour }, itemStyle: { color: colour }, z: 3 });
      // a budget no seed has a result at holds nulls: a gap, not a band at zero (null - null is 0 in JavaScript)
      series.push({ type: 'line', name: st.strategy, data: st.budgets.map(b => b[meanKey] == null ? null : b[meanKey] - b[sdKey]),
        stack: 'band' + k, symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } });
      series.push({ type: 'line', name: st.strategy, data: st.budgets.map(b => b[sdKey] == null ? null : 2 * b[sdKey]),
        stack: 'band' + k, symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: colour, opacity: 0.15 },
        tooltip: { show: false } });
    });
    const unit = B.fidelities ? 'cost in full-fidelity queries' : 'queries';
    chart(parent, id, { title: { text: label + ' against ' + unit, left: 'center', textStyle: { fontSize: 14 } },
      legend: { bottom: 0, data: B.strategies.map(st => st.strategy) }, grid: { left: 60, right: 30, top: 40, bottom: 70 },
      tooltip: { trigger: 'item', formatter: p => p.seriesName + ': mean ' + fmt(p.value, 5) + ' after ' + p.name
        + ' ' + unit },
      // budgets as categories: ECharts stacks the band on the category axis's values, never on the budgets
      xAxis: { type: 'category', data: B.strategies[0].budgets.map(b => String(b.budget)), name: unit,
        nameLocation: 'middle', nameGap: 26, boundaryGap: false },
      yAxis: { type: 'value', name: label, scale: true }, series: series }, true);
  }
})();
