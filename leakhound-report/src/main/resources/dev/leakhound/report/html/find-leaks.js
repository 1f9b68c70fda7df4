/* The find-leaks page: a series of snapshots of one process. Its data is `find-leaks --json`'s document
   (page-bounded) plus classDiff, `diff --json`'s fields for the first and last snapshot (FindLeaksHtml.java). */
(function () {
  'use strict';
  var el = LH.el, fmt = LH.fmt;

  function snapLabel(x) { return '#' + (Math.round(x) + 1); }

  function fact(k, v, key, raw) {
    return el('div', { class: 'fact', 'data-key': key || null, 'data-value': raw !== undefined ? String(raw) : null },
      el('div', { class: 'k' }, k), el('div', { class: 'v' }, v));
  }

  var STATUS = { 'new': 'not in the baseline', accepted: 'in the baseline', worse: 'in the baseline, but grows more than ' };

  function leakCard(l, i, dismissed, d) {
    var badge = !dismissed && d.baseline ? el('span', { class: 'status ' + l.status, 'data-key': 'status', 'data-value': l.status,
      title: l.status === 'worse' ? STATUS.worse + d.baseline.worseFactor + '\u00d7 faster than recorded' : STATUS[l.status] }, l.status) : '';
    var card = el('section', { class: 'card leak' + (dismissed ? ' dismissed' : ''), id: dismissed ? null : 'leak-' + l.rank, 'data-leak': dismissed ? null : String(l.rank) },
      el('h2', null, dismissed ? el('span', null, 'Dismissed') : el('span', { class: 'rank' }, '#' + l.rank),
        el('span', null, l.leakedClass + ' objects'), el('span', { class: 'pattern' }, l.pattern), badge),
      el('p', { class: 'summary' }, l.summary));
    if (!dismissed && d.scenario && l.perCall > 0) {
      card.appendChild(el('p', { class: 'sub', 'data-key': 'perCall', 'data-value': String(l.perCall) },
        fmt.count(l.perCall) + ' ' + l.leakedClass + (l.perCall === 1 ? ' object' : ' objects') + ' leaked per call of the scenario (' +
        fmt.count(l.perCall * d.scenario.iterations) + ' per round of ' + fmt.count(d.scenario.iterations) + ' calls).'));
    }
    if (dismissed && l.reason) card.appendChild(el('p', { class: 'sub' }, 'Why it is not called a leak: ' + l.reason));
    card.appendChild(el('div', { class: 'facts' },
      fact('Retained now', fmt.bytes(l.retainedBytes), 'retainedBytes', l.retainedBytes),
      fact(l.leakedClass + ' objects held', fmt.count(l.count), 'count', l.count),
      fact('Growth since the first snapshot', fmt.signedBytes(l.growthBytes), 'growthBytes', l.growthBytes),
      fact('Allocated since and still alive', fmt.count(l.newCount) + ' objects, ' + fmt.bytes(l.newBytes), 'newBytes', l.newBytes)));
    card.appendChild(el('div', { class: 'charts' },
      LH.lineChart({ heading: 'Objects held, per snapshot', title: l.leakedClass + ' objects held per snapshot',
        series: [{ name: 'objects', values: l.countsPerSnapshot, slot: 3 }], xLabel: snapLabel, yFormat: fmt.count, labelLast: true, height: 130 }),
      LH.lineChart({ heading: 'Bytes kept alive, per snapshot', title: 'bytes kept alive per snapshot',
        series: [{ name: 'bytes', values: l.bytesPerSnapshot, slot: 0 }], xLabel: snapLabel, yFormat: fmt.bytes, bytes: true, labelLast: true, height: 130 })));
    var c = l.container;
    card.appendChild(el('div', { class: 'kv' },
      el('div', { class: 'k' }, 'Held by'),
      el('div', { class: 'v' }, el('span', { class: 'mono' }, c['class'] + ' @' + c.id), ' ',
        c.scope ? el('span', null, c.scope + ' ') : '',
        el('span', { class: 'note' }, 'at ' + c.pathText + ', then ' + c.pattern)),
      el('div', { class: 'k' }, 'Retainer path'),
      el('div', { class: 'v' }, LH.pathChain(l.path, { containerId: c.id })),
      el('div', { class: 'k' }, 'Source'),
      el('div', { class: 'v' }, LH.loc(l.location)),
      l['package'] ? el('div', { class: 'k' }, 'Package') : '',
      l['package'] ? el('div', { class: 'v', 'data-key': 'package', 'data-value': l['package'].name },
        el('b', null, l['package'].name + (l['package'].version ? ' ' + l['package'].version : '')), ' (an npm dependency)',
        l['package'].holder ? el('div', null, 'The package keeps them here: ', el('span', { class: 'mono' }, l['package'].holder), ' in ',
          el('span', { class: 'loc' }, l['package'].script)) : '',
        l['package'].keptWhere ? el('div', null, ({ 'accumulation-point': 'The package\u2019s code: ', source: 'The package\u2019s code keeps them: ',
          constructor: 'The leaked objects are the package\u2019s class: ' })[l['package'].keptAt] || 'The package allocates them here: ',
          LH.loc(l['package'].keptWhere)) : '',
        l['package'].calledFrom ? el('div', null, 'Your code calls it here: ', LH.frame(l['package'].calledFrom, true)) : '') : '',
      l.allocations && l.allocations.length ? el('div', { class: 'k' }, 'Allocated by') : '',
      l.allocations && l.allocations.length ? el('div', { class: 'v' }, LH.allocations(l.allocations)) : '',
      el('div', { class: 'k' }, 'Fix'),
      el('div', { class: 'v hint' }, l.hint),
      el('div', { class: 'k' }, 'Signature'),
      el('div', { class: 'v' }, el('span', { class: 'mono', 'data-key': 'signature', 'data-value': l.signature.id }, l.signature.id), ' ',
        el('span', { class: 'note' }, l.signature.pattern + ' ' + l.signature.leakedClass + ' at ' + l.signature.path))));
    return card;
  }

  LH.pages['find-leaks'] = function (d, main) {
    var snaps = d.snapshots, first = snaps[0], last = snaps[snaps.length - 1];
    var leak = d.verdict === 'leak';
    var sc = d.scenario;
    LH.title(sc ? 'check: ' + sc.file : 'find-leaks: ' + snaps.length + ' snapshots of one process');
    var failing = d.leaks.filter(function (l) { return l.status !== 'accepted'; });
    var verdictText = d.verdict === 'accepted'
      ? d.leaks.length + (d.leaks.length === 1 ? ' leak' : ' leaks') + ' found, all of them accepted in the baseline ' + d.baseline.file + '.'
      : leak ? d.leaks.length + (d.leaks.length === 1 ? ' leak' : ' leaks') + ' found' +
          (d.baseline ? ' (' + d.baseline['new'] + ' new, ' + d.baseline.worse + ' worse, ' + d.baseline.accepted + ' accepted)' : '') +
          ': ' + failing[0].summary
        : sc ? 'Nothing grew by a multiple of the scenario\u2019s calls.' : 'Nothing kept growing across the snapshots.';
    main.appendChild(el('div', { class: 'verdict ' + d.verdict, 'data-key': 'verdict', 'data-value': d.verdict },
      el('div', { class: 'word' }, leak ? 'LEAK' : d.verdict === 'accepted' ? 'ACCEPTED' : 'NO LEAK'),
      el('div', { class: 'text' }, verdictText)));
    if (sc) {
      main.appendChild(el('p', { class: 'sub', 'data-key': 'scenario', 'data-value': sc.file }, 'Scenario ' + sc.file + ': ' +
        fmt.count(sc.warmup) + ' warm-up calls, then ' + sc.rounds + ' rounds of ' + fmt.count(sc.iterations) +
        ' calls, a heap snapshot after each. A leak is reported only when its objects grew by the same multiple of ' +
        fmt.count(sc.iterations) + ' in every round.'));
    }
    if (d.baseline && d.baseline.notFound.length) {
      main.appendChild(el('p', { class: 'sub', 'data-key': 'notFound', 'data-value': String(d.baseline.notFound.length) },
        fmt.count(d.baseline.notFound.length) + ' accepted ' + (d.baseline.notFound.length === 1 ? 'leak' : 'leaks') +
        ' of the baseline not found this time: ' + d.baseline.notFound.map(function (e) { return e.signature; }).join(', ')));
    }
    var kept = 0;
    d.leaks.forEach(function (l) { kept += l.growthBytes; });
    main.appendChild(LH.headline([
      { key: 'leaks', label: 'Leaks', value: d.leaks.length, text: fmt.count(d.leaks.length), tone: leak ? 'bad' : 'good',
        detail: d.dismissed.length ? d.dismissed.length + ' more considered and dismissed' : null },
      { key: 'snapshots', label: 'Snapshots', value: snaps.length, text: fmt.count(snaps.length),
        detail: d.millis !== undefined ? 'analyzed in ' + fmt.millis(d.millis) : 'of one process, oldest first' },
      { key: 'firstTotalBytes', label: 'First snapshot', value: first.totalBytes, text: fmt.bytes(first.totalBytes), detail: fmt.count(first.nodes) + ' nodes' },
      { key: 'lastTotalBytes', label: 'Last snapshot', value: last.totalBytes, text: fmt.bytes(last.totalBytes),
        detail: fmt.signedBytes(last.totalBytes - first.totalBytes) + ' since the first' },
      { key: 'leakGrowthBytes', label: 'Growth the leaks explain', value: kept, text: fmt.signedBytes(kept) }
    ]));

    var sn = LH.section('Snapshots', 'Oldest first. The heap size of each (sum of all objects\u2019 self sizes).', 'snapshots');
    var grid = el('div', { class: 'charts' });
    grid.appendChild(LH.lineChart({ heading: 'Heap size per snapshot', title: 'heap size per snapshot',
      series: [{ name: 'heap', values: snaps.map(function (s) { return s.totalBytes; }), slot: 0 }], xLabel: snapLabel, yFormat: fmt.bytes, bytes: true, zero: false, labelLast: true, height: 140 }));
    var tbl = el('table', { class: 'data' }, el('thead', null, el('tr', null, el('th', null, '#'), el('th', null, 'File'), el('th', { class: 'num' }, 'Nodes'), el('th', { class: 'num' }, 'Size'))),
      el('tbody', null, snaps.map(function (s, i) {
        return el('tr', null, el('td', null, String(i + 1)), el('td', { class: 'name' }, s.file), el('td', { class: 'num' }, fmt.count(s.nodes)), el('td', { class: 'num' }, fmt.bytes(s.totalBytes)));
      })));
    grid.appendChild(el('div', { class: 'table-wrap' }, tbl));
    sn.appendChild(grid);
    main.appendChild(sn);

    d.leaks.forEach(function (l, i) { main.appendChild(leakCard(l, i, false, d)); });
    if (d.dismissed.length) {
      var dis = LH.section('Considered and dismissed', 'Objects allocated after the first snapshot that did not keep growing (a bounded cache turning over, for example).', 'dismissed');
      main.appendChild(dis);
      d.dismissed.forEach(function (l, i) { main.appendChild(leakCard(l, i, true, d)); });
    }

    if (d.classDiff) {
      var cd = d.classDiff, rows = cd.classes, om = cd.classesOmitted;
      var changed = rows.length + (om ? om.classes : 0);
      var sec = LH.section('Classes: first snapshot \u2192 last snapshot',
        'Objects matched by id across the two snapshots, as DevTools\u2019 Comparison view does: new objects were allocated after the first snapshot and are still alive; ' +
        'deleted ones were freed. ' + fmt.count(changed) + ' of ' + fmt.count(cd.classCount) + ' classes changed' +
        (om ? '; the ' + fmt.count(rows.length) + ' that changed most are listed.' : '.'), 'class-diff');
      sec.classList.add('table-card');
      var signedCount = function (v) { return el('span', { class: v > 0 ? 'pos' : v < 0 ? 'neg' : '' }, fmt.signedCount(v)); };
      var signedBytes = function (v) { return el('span', { class: v > 0 ? 'pos' : v < 0 ? 'neg' : '' }, fmt.signedBytes(v)); };
      sec.appendChild(LH.table({
        rows: rows, filter: [0], placeholder: 'Filter classes by name', sort: { col: 9, desc: true }, pageSize: 50,
        columns: [
          { label: 'Class', get: function (r) { return r.name; }, cls: 'name', sortDesc: false },
          { label: 'Before', num: true, get: function (r) { return r.countBefore; }, format: fmt.count },
          { label: 'After', num: true, get: function (r) { return r.countAfter; }, format: fmt.count },
          { label: 'New', num: true, get: function (r) { return r.newCount; }, format: fmt.count },
          { label: 'Deleted', num: true, get: function (r) { return r.deletedCount; }, format: fmt.count },
          { label: '\u0394 objects', num: true, get: function (r) { return r.countAfter - r.countBefore; }, format: signedCount },
          { label: 'Size before', num: true, get: function (r) { return r.bytesBefore; }, format: fmt.bytes },
          { label: 'Size after', num: true, get: function (r) { return r.bytesAfter; }, format: fmt.bytes },
          { label: 'Allocated', num: true, get: function (r) { return r.allocatedBytes; }, format: fmt.bytes, title: 'self size of the new objects' },
          { label: '\u0394 size', num: true, get: function (r) { return r.bytesAfter - r.bytesBefore; }, format: signedBytes }
        ]
      }));
      if (om) {
        sec.appendChild(el('p', { class: 'note' }, fmt.count(om.classes) + ' classes that changed less are not listed (' + fmt.count(om.newCount) + ' new, ' +
          fmt.count(om.deletedCount) + ' deleted, ' + fmt.signedBytes(om.deltaBytes) + '); `leakhound diff --json` lists every class.'));
      }
      main.appendChild(sec);
    }
  };
})();
