/* The analyze page: one snapshot (data written by AnalyzeHtml.java). */
(function () {
  'use strict';
  var el = LH.el, fmt = LH.fmt;

  LH.pages.analyze = function (d, main) {
    LH.title('Heap snapshot ' + fmt.basename(d.file));
    var st = d.statistics;
    var isSystem = function (distance) { return distance === null || distance < 0 || distance >= d.systemDistanceFrom; };
    main.appendChild(el('p', { class: 'meta' }, d.file + (d.readMillis !== undefined
      ? ' \u00B7 read in ' + fmt.millis(d.readMillis) + ', analyzed in ' + fmt.millis(d.analyzeMillis) : '')));

    var biggest = d.largest.length ? d.largest[0] : null;
    main.appendChild(LH.headline([
      { key: 'totalBytes', label: 'Total size', value: d.totalBytes, text: fmt.bytes(d.totalBytes),
        detail: 'JS heap ' + fmt.bytes(st.v8Heap) + ', native ' + fmt.bytes(st.native) },
      { key: 'nodes', label: 'Objects (nodes)', value: d.nodes, text: fmt.count(d.nodes) },
      { key: 'edges', label: 'References (edges)', value: d.edges, text: fmt.count(d.edges) },
      { key: 'classCount', label: 'Classes', value: d.classCount, text: fmt.count(d.classCount) },
      { key: 'unreachableNodes', label: 'Unreachable', value: d.unreachableNodes, text: fmt.count(d.unreachableNodes),
        detail: d.unreachableNodes ? 'held only by weak references or unreachable cycles' : 'every object is reachable from a root' },
      biggest ? { key: 'largestRetained', label: 'Largest object retains', value: biggest.retainedBytes, text: fmt.bytes(biggest.retainedBytes),
        detail: biggest.label + ' @' + biggest.id + ' (' + fmt.percent(biggest.retainedBytes, d.totalBytes) + ')' } : null
    ].filter(Boolean)));

    // statistics
    // the diagnosis: leak suspects and Node.js leak patterns, each with its evidence
    if (d.diagnosis) {
      var dg = d.diagnosis;
      var diag = LH.section('Diagnosis', dg.verdict, 'diagnosis');
      var dl = el('div', { class: 'findings' });
      var factText = function (f) {
        if (f.type === 'bytes') return fmt.bytes(f.value);
        if (f.type === 'count') return fmt.count(f.value);
        if (Array.isArray(f.value)) return f.value.join(', ');
        return String(f.value);
      };
      dg.suspects.forEach(function (s, i) {
        dl.appendChild(el('div', { class: 'finding', 'data-kind': 'suspect' },
          el('div', { class: 'what' }, 'Leak suspect ' + (i + 1) + ': ' + s.label + ' (' + s['class'] + (s.count > 1 ? ', ' + fmt.count(s.count) + ' objects' : '') + ')'),
          el('div', { class: 'nums' }, 'retains ' + fmt.bytes(s.retainedBytes) + ' (' + fmt.percent(s.retainedBytes, d.totalBytes) + ' of the heap)'),
          s.accumulation ? el('div', { class: 'nums' }, 'accumulation point: ' + s.accumulation.label + ' (' + s.accumulation['class'] + ', retains ' +
            fmt.bytes(s.accumulation.retainedBytes) + ') at ' + s.accumulation.pathText) : null,
          LH.pathChain(s.path, {}),
          s.location ? el('div', { class: 'nums' }, 'source: ', LH.loc(s.location)) : null));
      });
      dg.findings.forEach(function (f) {
        var facts = el('ul', { class: 'evidence' });
        f.facts.forEach(function (x) { facts.appendChild(el('li', null, x.name + ': ' + factText(x))); });
        dl.appendChild(el('div', { class: 'finding', 'data-kind': f.kind },
          el('div', { class: 'what' }, '[' + f.kind + '] ' + f.title),
          el('div', { class: 'nums' }, fmt.bytes(f.bytes) + ' at stake' + (f.count ? ', ' + fmt.count(f.count) + ' objects' : '')),
          f.path && f.path.length ? LH.pathChain(f.path, {}) : null,
          f.location ? el('div', { class: 'nums' }, 'source: ', LH.loc(f.location)) : null,
          facts,
          el('div', { class: 'hint' }, f.fix)));
      });
      if (!dg.suspects.length && !dg.findings.length) dl.appendChild(el('p', { class: 'note' }, dg.verdict));
      dg.notes.forEach(function (n) { dl.appendChild(el('p', { class: 'note' }, n)); });
      diag.appendChild(dl);
      main.appendChild(diag);
    }

    var stats = LH.section('Statistics', 'Where the memory is, grouped as Chrome DevTools\u2019 Statistics view groups it.', 'statistics');
    stats.appendChild(LH.barList([
      { label: 'Code', value: st.code, slot: 0, key: 'code' },
      { label: 'Strings', value: st.strings, slot: 1, key: 'strings' },
      { label: 'JS arrays', value: st.jsArrays, slot: 2, key: 'jsArrays' },
      { label: 'System objects', value: st.system, slot: 8, key: 'system' },
      { label: 'Other JS objects', value: st.other, slot: 4, key: 'other' },
      { label: 'Native / external', value: st.native, slot: 3, key: 'native' },
      { label: 'of which typed array stores', value: st.typedArrays, indent: true, key: 'typedArrays' }
    ], st.total));
    main.appendChild(stats);

    // dominator treemap
    var dom = d.dominators;
    if (dom) {
    var tm = LH.section('What retains the memory: the dominator tree',
      'Each area is an object sized by what it retains (what would be freed if it were gone). Click an area to look inside. ' +
      'The report holds the ' + fmt.count(dom.nodes) + ' largest nodes of the tree (at most ' + fmt.count(dom.maxChildren) +
      ' children of each); what is left of a node is drawn as \u201C(smaller objects)\u201D.', 'dominators');
    tm.appendChild(LH.treemap(dom, { total: d.totalBytes }));
    main.appendChild(tm);
    }

    // classes
    var cls = LH.section('Classes by retained size',
      'Objects grouped by constructor, as in DevTools\u2019 Summary view. Retained size counts each byte once per class. ' +
      'Click a column to sort; type to filter.', 'classes');
    cls.classList.add('table-card');
    var total = d.totalBytes;
    cls.appendChild(LH.table({
      rows: d.classes,
      filter: [0], placeholder: 'Filter classes by name',
      sort: { col: 4, desc: true }, pageSize: 50,
      columns: [
        { label: 'Class', get: function (r) { return r.name; }, cls: 'name', sortDesc: false },
        { label: 'Objects', num: true, get: function (r) { return r.count; }, format: fmt.count },
        { label: 'Distance', num: true, get: function (r) { return isSystem(r.distance) ? null : r.distance; }, format: function (v) { return v === null ? '-' : String(v); }, sortDesc: false },
        { label: 'Shallow size', num: true, get: function (r) { return r.shallowBytes; }, format: fmt.bytes },
        { label: 'Retained size', num: true, get: function (r) { return r.retainedBytes; }, format: fmt.bytes },
        { label: 'Share', num: true, get: function (r) { return r.retainedBytes; }, format: function (v) {
          return [fmt.percent(v, total), el('span', { class: 'share', style: { width: Math.max(1, Math.round(60 * v / Math.max(1, total))) + 'px' } })];
        } }
      ]
    }));
    if (d.classesOmitted && d.classesOmitted.classes > 0) {
      cls.appendChild(el('p', { class: 'note' }, fmt.count(d.classesOmitted.classes) + ' smaller classes are not listed (' +
        fmt.count(d.classesOmitted.count) + ' objects, ' + fmt.bytes(d.classesOmitted.shallowBytes) + ' shallow); `leakhound analyze --json` lists every class.'));
    }
    main.appendChild(cls);

    // the Allocation view (snapshots taken with allocation tracking)
    var av = d.allocationView;
    if (av) {
      var alloc = LH.section('Allocation view: live objects by allocating function',
        'As DevTools’ Allocation view: ' + fmt.count(av.tracedCount) + ' objects (' + fmt.bytes(av.tracedBytes) +
        ') carry an allocation stack, ' + fmt.count(av.untracedCount) + ' do not (allocated before tracking started, or by V8). ' +
        'Self: allocated by the function itself; with callees: by it or what it called. Positions are where the function starts.', 'allocation-view');
      alloc.classList.add('table-card');
      alloc.appendChild(LH.table({
        rows: av.rows,
        filter: [0], placeholder: 'Filter functions',
        sort: { col: 2, desc: true }, pageSize: 50,
        columns: [
          { label: 'Function', get: function (r) {
            var f = r['function'];
            return (f['function'] || '(anonymous)') + (f.file ? ' ' + f.file + (f.line > 0 ? ':' + f.line + ':' + f.column : '') : '') +
              (f['package'] ? ' [' + f['package'].name + (f['package'].version ? '@' + f['package'].version : '') + ']' : '');
          }, cls: 'name', sortDesc: false },
          { label: 'Live objects', num: true, get: function (r) { return r.selfCount; }, format: fmt.count },
          { label: 'Live size', num: true, get: function (r) { return r.selfBytes; }, format: fmt.bytes },
          { label: 'With callees', num: true, get: function (r) { return r.totalCount; }, format: fmt.count },
          { label: 'Size with callees', num: true, get: function (r) { return r.totalBytes; }, format: fmt.bytes }
        ]
      }));
      main.appendChild(alloc);
    }

    // largest objects with paths
    var big = LH.section('Largest objects and what keeps them alive',
      'The objects that retain the most, each with the shortest path from a GC root that holds it and, where the snapshot records one, its source position.', 'largest');
    var list = el('div', { class: 'findings' });
    d.largest.forEach(function (r, i) {
      list.appendChild(el('div', { class: 'finding', 'data-id': r.id },
        el('div', { class: 'what' }, (i + 1) + '. ' + r.label + ' @' + r.id + (r.label !== r['class'] ? ' (' + r['class'] + ')' : '')),
        el('div', { class: 'nums' }, 'retains ' + fmt.bytes(r.retainedBytes) + ' (' + fmt.percent(r.retainedBytes, d.totalBytes) + ' of the heap), self ' +
          fmt.bytes(r.shallowBytes) + ', distance ' + (isSystem(r.distance) ? '-' : r.distance)),
        LH.pathChain(r.path, {}),
        r.location ? el('div', { class: 'nums' }, 'source: ', LH.loc(r.location)) : null));
    });
    if (!d.largest.length) list.appendChild(el('p', { class: 'note' }, 'The snapshot holds no objects.'));
    big.appendChild(list);
    main.appendChild(big);
  };
})();
