/* The watch page: memory and GCs of a live process over time (data written by WatchRecord.java). */
(function () {
  'use strict';
  var el = LH.el, fmt = LH.fmt;

  function clock(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }
  /** Seconds since the start: 45s, 3m 20s, 1h 02m. */
  function elapsed(s) {
    s = Math.max(0, Math.round(s));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60 < 10 ? '0' : '') + (s % 60) + 's';
    var m = Math.floor(s / 60) % 60;
    return Math.floor(s / 3600) + 'h ' + (m < 10 ? '0' : '') + m + 'm';
  }
  function ms(v) { return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + ' ms'; }
  function maxOf(a) { var m = 0; a.forEach(function (v) { if (v > m) m = v; }); return m; }

  LH.pages.watch = function (d, main) {
    var t0 = d.startMillis, sr = d.series, end = d.end;
    var x = sr.time.map(function (t) { return (t - t0) / 1000; });
    var xLabel = function (v) { return elapsed(v); };
    LH.title('watch: ' + d.target);
    main.appendChild(el('p', { class: 'meta' }, 'Started ' + new Date(t0).toISOString() + ' \u00B7 a sample every ' + d.intervalSeconds + ' s \u00B7 ' +
      (end.running ? 'still watching when this page was written (it is rewritten as the watch goes on)' : 'ended: ' + end.reason) +
      (d.samplesPerPoint > 1 ? ' \u00B7 each point of the charts stands for ' + d.samplesPerPoint + ' samples (the largest values, GC pauses summed)' : '')));

    var lastStats = d.stats.length ? d.stats[d.stats.length - 1] : null;
    var items = [
      { key: 'samples', label: 'Samples', value: end.samples, text: fmt.count(end.samples),
        detail: x.length ? 'over ' + elapsed(x[x.length - 1]) : null },
      { key: 'num_full_gc', label: 'Full GCs', value: end.num_full_gc, text: fmt.count(end.num_full_gc),
        detail: fmt.count(end.num_inc_gc) + ' incremental (memwatch\u2019s counts)' },
      { key: 'num_inc_gc', label: 'Incremental GCs', value: end.num_inc_gc, text: fmt.count(end.num_inc_gc) },
      { key: 'leaks', label: 'Leak events', value: end.leaks, text: fmt.count(end.leaks), tone: end.leaks ? 'bad' : 'good',
        detail: end.leaks ? 'the heap grew over consecutive full GCs' : 'no run of growing full GCs' }
    ];
    if (d.last) {
      items.push({ key: 'heapUsed', label: 'Heap used (last sample)', value: d.last.heapUsed, text: fmt.bytes(d.last.heapUsed),
        detail: 'of ' + fmt.bytes(d.last.heapTotal) + ' heap, rss ' + fmt.bytes(d.last.rss) });
      items.push({ key: 'peakRss', label: 'Peak rss', value: maxOf(sr.rss), text: fmt.bytes(maxOf(sr.rss)) });
    }
    if (lastStats) {
      items.push({ key: 'estimated_base', label: 'Estimated base', value: lastStats.estimated_base, text: fmt.bytes(lastStats.estimated_base),
        detail: 'usage trend ' + (lastStats.usage_trend > 0 ? '+' : '') + lastStats.usage_trend + '%' });
      items.push({ key: 'usage_trend', label: 'Usage trend', value: lastStats.usage_trend, text: (lastStats.usage_trend > 0 ? '+' : '') + lastStats.usage_trend + '%',
        tone: lastStats.usage_trend > 0 ? 'bad' : null, detail: 'recent base vs. long-run base' });
    }
    main.appendChild(LH.headline(items));

    var marks = d.leaks.map(function (l) {
      return { x: (l.end - t0) / 1000, label: 'leak at ' + clock(l.end) + ': ' + l.reason + ' (growth ' + fmt.bytes(l.growth) + ')' };
    });

    var mem = LH.section('Memory', 'process.memoryUsage() at each sample' + (marks.length ? '; red lines mark memwatch leak events.' : '.'), 'memory');
    if (x.length) {
      mem.appendChild(LH.lineChart({ title: 'memory over time', width: 1000, height: 240, x: x, xLabel: xLabel, bytes: true, yFormat: fmt.bytes, marks: marks,
        series: [{ name: 'rss', values: sr.rss, slot: 0 }, { name: 'heapTotal', values: sr.heapTotal, slot: 4 },
          { name: 'heapUsed', values: sr.heapUsed, slot: 3 }, { name: 'external', values: sr.external, slot: 2 }], legend: true }));
    } else {
      mem.appendChild(el('p', { class: 'note' }, 'No sample was taken.'));
    }
    main.appendChild(mem);

    var gc = LH.section('GC pauses', 'Total pause per sample interval, per kind of GC. Every GC the target recorded is here; memwatch\u2019s full-GC count ' +
      'leaves out the extra full GCs of one forced collection (--gc-every), so it can be lower than the major count.' + (d.droppedGcs ? ' ' + fmt.count(d.droppedGcs) +
      ' GCs were lost because the target\u2019s record of them overflowed between two samples.' : ''), 'gc');
    if (d.gc.length && x.length) {
      gc.appendChild(LH.lineChart({ title: 'GC pause per sample interval', width: 1000, height: 180, x: x, xLabel: xLabel, yFormat: ms, marks: marks, legend: true,
        series: d.gc.map(function (k) { return { name: k.kind, values: k.pauses, slot: LH.colorIndex(k.kind) }; }) }));
    }
    gc.appendChild(el('table', { class: 'data' },
      el('thead', null, el('tr', null, el('th', null, 'Kind'), el('th', { class: 'num' }, 'GCs'), el('th', { class: 'num' }, 'Total pause'), el('th', { class: 'num' }, 'Longest'))),
      el('tbody', null, d.gc.length ? d.gc.map(function (k) {
        return el('tr', { 'data-kind': k.kind }, el('td', null, k.kind), el('td', { class: 'num', 'data-value': String(k.count) }, fmt.count(k.count)),
          el('td', { class: 'num' }, ms(k.pauseMs)), el('td', { class: 'num' }, ms(k.maxPauseMs)));
      }) : el('tr', null, el('td', { colspan: 4, class: 'note' }, 'No GC was recorded.')))));
    main.appendChild(gc);

    var st = LH.section('memwatch stats', 'After each full GC: the heap it ended with (current_base), memwatch\u2019s estimate of the steady heap (estimated_base) ' +
      'and usage_trend, the percent difference between the recent and the long-run base (above 0: growing).' +
      (d.stats.length < d.statsSeen ? ' ' + fmt.count(d.stats.length) + ' of ' + fmt.count(d.statsSeen) + ' stats events are drawn.' : ''), 'stats');
    if (d.stats.length) {
      var sx = d.stats.map(function (s) { return (s.time - t0) / 1000; });
      var grid = el('div', { class: 'charts' });
      grid.appendChild(LH.lineChart({ heading: 'Heap after full GCs', title: 'estimated_base and current_base', x: sx, xLabel: xLabel, bytes: true, yFormat: fmt.bytes, marks: marks, legend: true,
        series: [{ name: 'estimated_base', values: d.stats.map(function (s) { return s.estimated_base; }), slot: 0 },
          { name: 'current_base', values: d.stats.map(function (s) { return s.current_base; }), slot: 8 }] }));
      grid.appendChild(LH.lineChart({ heading: 'usage_trend (%)', title: 'usage_trend', x: sx, xLabel: xLabel, zero: false, labelLast: true,
        yFormat: function (v) { return (Math.round(v * 10) / 10) + '%'; },
        series: [{ name: 'usage_trend', values: d.stats.map(function (s) { return s.usage_trend; }), slot: 3 }] }));
      st.appendChild(grid);
    } else {
      st.appendChild(el('p', { class: 'note' }, 'No full GC happened, so memwatch emitted no stats (leakhound watch --gc-every SECONDS forces some).'));
    }
    main.appendChild(st);

    var lk = LH.section('Leak events', 'memwatch\u2019s leak event: the heap after each of several consecutive full GCs was larger than after the one before.' +
      (d.leaks.length < d.leakCount ? ' The first ' + fmt.count(d.leaks.length) + ' of ' + fmt.count(d.leakCount) + ' are listed.' : ''), 'leak-events');
    if (d.leaks.length) {
      lk.appendChild(el('table', { class: 'data' },
        el('thead', null, el('tr', null, el('th', null, 'From'), el('th', null, 'To'), el('th', { class: 'num' }, 'Growth'), el('th', null, 'Reason'))),
        el('tbody', null, d.leaks.map(function (l) {
          return el('tr', null, el('td', null, clock(l.start)), el('td', null, clock(l.end)), el('td', { class: 'num' }, fmt.bytes(l.growth)), el('td', null, l.reason));
        }))));
    } else {
      lk.appendChild(el('p', { class: 'note' }, 'None.'));
    }
    if (d.snapshots.length) {
      lk.appendChild(el('h3', null, 'Snapshots taken on leak events'));
      lk.appendChild(el('ul', null, d.snapshots.map(function (s) {
        return el('li', null, el('span', { class: 'mono' }, s.file), ' \u00B7 ' + fmt.bytes(s.bytes) + ', ' + fmt.count(s.nodes) + ' nodes, at ' + clock(s.time));
      })));
    }
    main.appendChild(lk);
  };
})();
