/*
 * The profile page: a sampling heap profile (data written by ProfileHtml.java): headline numbers, an
 * allocation flame graph (top-down: the root spans the width, each function sits under its caller, its
 * width is the bytes allocated under it; click to zoom, search to highlight, hover for bytes and share),
 * the functions that allocate most, and for two profiles the allocation sites that grew.
 */
(function () {
  'use strict';
  var el = LH.el, fmt = LH.fmt;
  var ROW = 18;

  function fname(f) { return f['function'] ? f['function'] : '(anonymous)'; }
  function where(f) {
    var u = String(f.url || '');
    if (u.indexOf('file://') === 0) u = u.slice(7);
    if (!u) return f['function'] && f['function'].charAt(0) === '(' ? '(V8)' : '(no script)';
    return f.line ? u + ':' + f.line + ':' + f.column : u;
  }
  /** Code area, as Clinic colours it: app code, dependencies, Node's own, V8. */
  function area(f) {
    var u = String(f.url || '');
    if (!u) return 'v8';
    if (u.indexOf('node:') === 0 || u.indexOf('internal/') === 0) return 'node';
    if (u.indexOf('/node_modules/') >= 0) return 'dep';
    return 'app';
  }

  function siteTable(rows, whole, bySelf) {
    return LH.table({
      rows: rows, filter: [3, 4], placeholder: 'Filter by function or script', pageSize: 50,
      sort: { col: 0, desc: true },
      columns: [
        { label: bySelf ? 'Self' : 'Total', num: true, get: function (r) { return bySelf ? r.selfBytes : r.totalBytes; }, format: fmt.bytes },
        { label: 'Share', num: true, get: function (r) { return bySelf ? r.selfBytes : r.totalBytes; },
          format: function (v) { return fmt.percent(v, whole); } },
        { label: bySelf ? 'Total' : 'Self', num: true, get: function (r) { return bySelf ? r.totalBytes : r.selfBytes; }, format: fmt.bytes },
        { label: 'Function', cls: 'name', get: function (r) { return fname(r); } },
        { label: 'Location', cls: 'name', get: function (r) { return where(r); } }
      ]
    });
  }

  function changeTable(rows) {
    return LH.table({
      rows: rows, filter: [3, 4], placeholder: 'Filter by function or script', pageSize: 50, sort: { col: 0, desc: true },
      columns: [
        { label: 'Delta', num: true, get: function (r) { return r.deltaBytes; }, format: fmt.signedBytes },
        { label: 'Before', num: true, get: function (r) { return r.beforeBytes; }, format: fmt.bytes },
        { label: 'After', num: true, get: function (r) { return r.afterBytes; }, format: fmt.bytes },
        { label: 'Function', cls: 'name', get: function (r) { return fname(r); } },
        { label: 'Location', cls: 'name', get: function (r) { return where(r); } }
      ]
    });
  }

  /** The flame graph over d.tree (flat columns, node 0 the head). */
  function flame(t) {
    var n = t.parent.length, kids = [], i;
    for (i = 0; i < n; i++) kids.push([]);
    for (i = 1; i < n; i++) kids[t.parent[i]].push(i);
    var names = t.frames.map(fname), places = t.frames.map(where), areas = t.frames.map(area);
    // children in a stable order: by function name, then by bytes
    kids.forEach(function (k) {
      k.sort(function (a, b) {
        var x = names[t.frame[a]], y = names[t.frame[b]];
        return x < y ? -1 : x > y ? 1 : t.total[b] - t.total[a];
      });
    });
    var whole = t.total[0] || 0, zoom = 0, query = '';
    var box = el('div', { class: 'flame', role: 'img', 'aria-label': 'allocation flame graph' });
    var tip = el('div', { class: 'flame-tip', role: 'tooltip' });
    var crumbs = el('div', { class: 'crumbs' });
    var found = el('span', { class: 'flame-found', 'data-key': 'matches', 'data-value': '0' });
    var search = el('input', { type: 'search', placeholder: 'Search functions and scripts', 'aria-label': 'Search functions and scripts',
      oninput: function () { query = search.value.toLowerCase(); highlight(); } });
    var reset = el('button', { type: 'button', class: 'flame-reset', onclick: function () { zoomTo(0); } }, 'Reset zoom');
    var shown = [];   // node index of each drawn frame element, in drawing order

    function label(v) { return v === 0 ? 'all (' + fmt.bytes(whole) + ')' : names[t.frame[v]]; }
    function draw() {
      LH.clear(box);
      shown = [];
      var width = box.clientWidth || 1000, maxDepth = 0, frag = document.createDocumentFragment();
      // the zoomed node's ancestors span the width above it
      var chain = [];
      for (var a = zoom; a >= 0; a = a === 0 ? -1 : t.parent[a]) chain.unshift(a);
      chain.forEach(function (v, d) { put(frag, v, 0, 1, d); maxDepth = Math.max(maxDepth, d); });
      // below it, each child gets its share of its parent's width (depth first, explicit stack)
      var base = chain.length - 1, total = t.total[zoom] || 1;
      var stack = [[zoom, 0, base]];
      while (stack.length) {
        var top = stack.pop(), v = top[0], x = top[1], d = top[2];
        var k = kids[v];
        for (var c = 0; c < k.length; c++) {
          var w = t.total[k[c]] / total;
          if (w * width >= 0.5) {
            put(frag, k[c], x, w, d + 1);
            maxDepth = Math.max(maxDepth, d + 1);
            stack.push([k[c], x, d + 1]);
          }
          x += w;
        }
      }
      box.style.height = ((maxDepth + 1) * ROW + 2) + 'px';
      box.appendChild(frag);
      LH.clear(crumbs);
      chain.forEach(function (v, d) {
        if (d) crumbs.appendChild(document.createTextNode(' \u203A '));
        crumbs.appendChild(el('button', { type: 'button', class: 'crumb', onclick: function () { zoomTo(v); } }, label(v)));
      });
      reset.disabled = zoom === 0;
      highlight();
    }
    function put(frag, v, x, w, d) {
      var f = t.frame[v];
      var e = el('div', { class: 'fr ' + (v === 0 ? 'fr-root' : 'fr-' + areas[f]) + (v === zoom && v ? ' fr-zoom' : ''), 'data-node': v,
        style: { left: (x * 100).toFixed(4) + '%', width: (w * 100).toFixed(4) + '%', top: (d * ROW) + 'px' } }, label(v));
      shown.push(v);
      frag.appendChild(e);
    }
    function matches(v) {
      if (!query || v === 0) return false;
      var f = t.frame[v];
      return names[f].toLowerCase().indexOf(query) >= 0 || places[f].toLowerCase().indexOf(query) >= 0;
    }
    function highlight() {
      var els = box.children, count = 0;
      for (var i = 0; i < els.length; i++) {
        var m = matches(shown[i]);
        els[i].classList.toggle('match', m);
        if (m) count++;
      }
      // bytes under any matching frame (each subtree once), over the whole tree
      var bytes = 0;
      if (query) {
        var stack = [0];
        while (stack.length) {
          var v = stack.pop();
          if (matches(v)) { bytes += t.total[v]; continue; }
          for (var c = 0; c < kids[v].length; c++) stack.push(kids[v][c]);
        }
      }
      found.setAttribute('data-value', String(count));
      found.textContent = query ? fmt.count(count) + ' frames match: ' + fmt.bytes(bytes) + ' (' + fmt.percent(bytes, whole) + ' of all sampled bytes)' : '';
    }
    function zoomTo(v) { zoom = v; tip.style.display = 'none'; draw(); }
    function nodeAt(target) {
      var e = target && target.closest ? target.closest('.fr') : null;
      return e ? Number(e.getAttribute('data-node')) : -1;
    }
    box.addEventListener('click', function (ev) { var v = nodeAt(ev.target); if (v >= 0) zoomTo(v); });
    box.addEventListener('mousemove', function (ev) {
      var v = nodeAt(ev.target);
      if (v < 0) { tip.style.display = 'none'; return; }
      var f = t.frames[t.frame[v]];
      LH.clear(tip);
      tip.appendChild(el('div', { class: 'tip-name' }, label(v)));
      if (v) tip.appendChild(el('div', { class: 'tip-loc' }, where(f)));
      tip.appendChild(el('div', null, 'total ' + fmt.bytes(t.total[v]) + ' (' + fmt.percent(t.total[v], whole) + ' of all)'));
      tip.appendChild(el('div', null, 'self ' + fmt.bytes(t.self[v]) + ' (' + fmt.percent(t.self[v], whole) + ')'));
      var r = box.getBoundingClientRect();
      tip.style.display = 'block';
      tip.style.left = Math.min(ev.clientX - r.left + 12, Math.max(0, r.width - 320)) + 'px';
      tip.style.top = (ev.clientY - r.top + 16) + 'px';
    });
    box.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
    var wrap = el('div', { class: 'flame-wrap' }, box, tip);
    var tools = el('div', { class: 'table-tools' }, search, reset, found);
    var legend = el('p', { class: 'note' }, 'Colours: ',
      el('span', { class: 'swatch fr-app' }), ' your code ', el('span', { class: 'swatch fr-dep' }), ' node_modules ',
      el('span', { class: 'swatch fr-node' }), ' Node.js ', el('span', { class: 'swatch fr-v8' }), ' V8',
      t.droppedNodes ? ' \u00B7 ' + fmt.count(t.droppedNodes) + ' of the smallest call-tree nodes are not in this page' : '');
    var out = el('div', null, tools, crumbs, wrap, legend);
    // draw once the box is in the document (it needs its width)
    setTimeout(draw, 0);
    window.addEventListener('resize', function () { draw(); });
    out.draw = draw;
    return out;
  }

  LH.pages.profile = function (d, main) {
    var p = d.profile, whole = p.totalBytes;
    LH.title(d.diff ? 'profile: ' + d.diff.before.source + ' \u2192 ' + d.diff.after.source : 'profile: ' + p.source);
    var items = [
      { key: 'totalBytes', label: 'Sampled bytes', value: whole, text: fmt.bytes(whole),
        detail: p.includeCollected === true ? 'freed objects included' : p.includeCollected === false ? 'objects still alive' : null },
      { key: 'samples', label: 'Samples', value: p.samples, text: fmt.count(p.samples),
        detail: p.samplingInterval ? 'one per ~' + fmt.bytes(p.samplingInterval) : null },
      { key: 'functions', label: 'Functions', value: p.functions, text: fmt.count(p.functions) }
    ];
    if (p.durationMillis) items.push({ key: 'durationMillis', label: 'Duration', value: p.durationMillis, text: fmt.millis(p.durationMillis) });
    if (p.bySelf.length) {
      var top = p.bySelf[0];
      items.push({ key: 'topSelf', label: 'Allocates most', value: top.selfBytes, text: fname(top),
        detail: fmt.bytes(top.selfBytes) + ' (' + fmt.percent(top.selfBytes, whole) + ') at ' + where(top) });
    }
    if (d.diff) {
      items.push({ key: 'deltaBytes', label: 'Change', value: d.diff.deltaBytes, text: fmt.signedBytes(d.diff.deltaBytes),
        tone: d.diff.grown.length ? 'bad' : null, detail: fmt.count(d.diff.grown.length) + ' sites grew' });
    }
    main.appendChild(LH.headline(items));

    if (d.diff) {
      var g = LH.section('Allocation sites that grew', 'Self bytes per function in ' + d.diff.before.source + ' and ' + d.diff.after.source +
        '. In two profiles of one sampling session that keep only live objects, a site that keeps growing holds on to what it allocates.', 'grown');
      g.appendChild(d.diff.grown.length ? changeTable(d.diff.grown) : el('p', { class: 'note' }, 'No allocation site grew.'));
      main.appendChild(g);
    }

    var fl = LH.section('Allocation flame graph', 'Each bar is a function, under the function that called it; its width is the bytes sampled as'
      + ' allocated by it and its callees. Click a bar to zoom in, a bar above it or Reset zoom to zoom out; search highlights matches.', 'flame');
    fl.appendChild(flame(d.tree));
    main.appendChild(fl);

    var s = LH.section('Functions that allocate most', 'Self: bytes the function allocated itself. Total: with what it calls. Share: of all sampled bytes.', 'by-self');
    s.appendChild(siteTable(p.bySelf.filter(function (r) { return r.selfBytes > 0; }), whole, true));
    main.appendChild(s);
    var t = LH.section('Functions under which most is allocated', 'By total bytes: the function and everything it calls.', 'by-total');
    t.appendChild(siteTable(p.byTotal, whole, false));
    main.appendChild(t);
  };
})();
