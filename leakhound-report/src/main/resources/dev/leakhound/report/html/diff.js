/* The diff page: DevTools' Comparison of two snapshots of one process (data written by DiffHtml.java). */
(function () {
  'use strict';
  var el = LH.el, fmt = LH.fmt;

  function signed(v, f) { return el('span', { class: v > 0 ? 'pos' : v < 0 ? 'neg' : '' }, f(v)); }

  /**
   * Bars from a center line: growth to the right, shrinkage to the left, all on one scale.
   * items: [{label, value}] (value signed).
   */
  function diverging(items) {
    var max = 0;
    items.forEach(function (it) { max = Math.max(max, Math.abs(it.value)); });
    var box = el('div', { class: 'diverge', role: 'img', 'aria-label': 'classes by size delta' });
    items.forEach(function (it) {
      var w = max > 0 ? (50 * Math.abs(it.value) / max).toFixed(3) + '%' : '0%';
      var bar = el('div', { class: 'bar ' + (it.value >= 0 ? 'grow' : 'shrink'), style: it.value >= 0 ? { left: '50%', width: w } : { right: '50%', width: w } });
      box.appendChild(el('div', { class: 'name', title: it.label }, it.label));
      box.appendChild(el('div', { class: 'track' }, el('div', { class: 'mid' }), bar));
      box.appendChild(el('div', { class: 'num' }, signed(it.value, fmt.signedBytes)));
    });
    return box;
  }

  LH.pages.diff = function (d, main) {
    var b = d.before, a = d.after, t = d.totals;
    var changed = d.classes.length + (d.classesOmitted ? d.classesOmitted.classes : 0);
    var bName = b.file === null ? '(memory)' : fmt.basename(b.file), aName = a.file === null ? '(memory)' : fmt.basename(a.file);
    LH.title('Comparison: ' + bName + ' \u2192 ' + aName);
    main.appendChild(el('p', { class: 'meta' }, 'before: ' + (b.file === null ? '(memory)' : b.file) + ' \u00B7 after: ' + (a.file === null ? '(memory)' : a.file)));
    d.warnings.forEach(function (w) { main.appendChild(el('div', { class: 'warning-box' }, 'Warning: ' + w)); });

    main.appendChild(LH.headline([
      { key: 'beforeTotalBytes', label: 'Before', value: b.totalBytes, text: fmt.bytes(b.totalBytes), detail: fmt.count(b.nodes) + ' nodes' },
      { key: 'afterTotalBytes', label: 'After', value: a.totalBytes, text: fmt.bytes(a.totalBytes), detail: fmt.count(a.nodes) + ' nodes' },
      { key: 'deltaBytes', label: 'Size delta', value: d.deltaBytes, text: fmt.signedBytes(d.deltaBytes), tone: d.deltaBytes > 0 ? 'bad' : d.deltaBytes < 0 ? 'good' : null,
        detail: fmt.signedCount(a.nodes - b.nodes) + ' nodes' },
      { key: 'newCount', label: '# New', value: t.newCount, text: fmt.count(t.newCount), detail: fmt.bytes(t.allocatedBytes) + ' allocated, still alive' },
      { key: 'deletedCount', label: '# Deleted', value: t.deletedCount, text: fmt.count(t.deletedCount), detail: fmt.bytes(t.freedBytes) + ' freed' },
      { key: 'changed', label: 'Classes changed', value: changed, text: fmt.count(changed), detail: 'of ' + fmt.count(d.classCount) + ' classes' }
    ]));
    main.appendChild(el('div', { class: 'facts-line note' },
      el('span', { 'data-key': 'beforeNodes', 'data-value': String(b.nodes) }, 'Before: ' + fmt.count(b.nodes) + ' nodes'), ' \u00B7 ',
      el('span', { 'data-key': 'afterNodes', 'data-value': String(a.nodes) }, 'after: ' + fmt.count(a.nodes) + ' nodes'), ' \u00B7 ',
      el('span', { 'data-key': 'sharedIds', 'data-value': String(d.ids.shared) },
        fmt.count(d.ids.shared) + ' ids shared (' + fmt.percent(d.ids.shared, d.ids.smallerNodeCount) + ' of the smaller snapshot\u2019s nodes)')));

    // the classes that moved most, growth and shrinkage
    var rows = d.classes;
    var byDelta = rows.map(function (r) { return { label: r.name, value: r.deltaBytes }; }).filter(function (x) { return x.value !== 0; });
    byDelta.sort(function (x, y) { return y.value - x.value; });
    var grew = byDelta.filter(function (x) { return x.value > 0; }).slice(0, 10);
    var shrank = byDelta.filter(function (x) { return x.value < 0; }).slice(-5);
    var chart = LH.section('Classes by size delta',
      'The ' + grew.length + ' classes that grew most' + (shrank.length ? ' and the ' + shrank.length + ' that shrank most' : ' (none shrank)') +
      ': self size of the new objects minus that of the deleted ones.', 'delta-chart');
    if (grew.length + shrank.length) chart.appendChild(diverging(grew.concat(shrank)));
    else chart.appendChild(el('p', { class: 'note' }, 'No class changed size.'));
    main.appendChild(chart);

    var sec = LH.section('Classes',
      'Objects matched by id across the two snapshots, as DevTools\u2019 Comparison view does: # new were allocated after BEFORE and are alive in AFTER; ' +
      '# deleted were alive in BEFORE and are gone. Sizes are self sizes. Click a column to sort; type to filter.', 'classes');
    sec.classList.add('table-card');
    sec.appendChild(LH.table({
      rows: rows, filter: [0], placeholder: 'Filter classes by name', sort: { col: 6, desc: true }, pageSize: 50,
      columns: [
        { label: 'Class', get: function (r) { return r.name; }, cls: 'name', sortDesc: false },
        { label: '# New', num: true, get: function (r) { return r.newCount; }, format: fmt.count },
        { label: '# Deleted', num: true, get: function (r) { return r.deletedCount; }, format: fmt.count },
        { label: '# Delta', num: true, get: function (r) { return r.deltaCount; }, format: function (v) { return signed(v, fmt.signedCount); } },
        { label: 'Alloc. size', num: true, get: function (r) { return r.allocatedBytes; }, format: fmt.bytes },
        { label: 'Freed size', num: true, get: function (r) { return r.freedBytes; }, format: fmt.bytes },
        { label: 'Size delta', num: true, get: function (r) { return r.deltaBytes; }, format: function (v) { return signed(v, fmt.signedBytes); } }
      ]
    }));
    var om = d.classesOmitted;
    if (om && om.classes > 0) {
      sec.appendChild(el('p', { class: 'note' }, fmt.count(om.classes) + ' classes that changed less are not listed (' + fmt.count(om.newCount) + ' new, ' +
        fmt.count(om.deletedCount) + ' deleted, ' + fmt.signedBytes(om.deltaBytes) + '); `leakhound diff --json` lists every class.'));
    }
    sec.appendChild(el('p', { class: 'note', 'data-key': 'totalsRow', 'data-value': String(t.deltaBytes) },
      'Total over ' + fmt.count(changed) + ' classes: ' + fmt.count(t.newCount) + ' new, ' + fmt.count(t.deletedCount) + ' deleted, ' +
      fmt.signedCount(t.deltaCount) + ' objects, ' + fmt.bytes(t.allocatedBytes) + ' allocated, ' + fmt.bytes(t.freedBytes) + ' freed, ' + fmt.signedBytes(t.deltaBytes) + '.'));
    main.appendChild(sec);
  };
})();
