/*
 * leakhound report runtime, shared by every page type: DOM helpers, number formats, the theme
 * switch, sortable/filterable tables, SVG charts (bars, lines), a squarified treemap and retainer
 * path chains. No library, no network.
 *
 * Heap contents are untrusted. Every string from the data reaches the page as text: LH.el turns
 * strings into text nodes and sets attributes with setAttribute (never on* handlers, which must be
 * functions); nothing here assigns innerHTML or builds markup from strings.
 *
 * A page type registers LH.pages[kind] = function (data, main) {...}; the boot code at the end
 * parses the embedded JSON and calls it (see HtmlPage.java for how to add one).
 */
(function () {
  'use strict';
  var LH = window.LH = { pages: {} };
  var SVGNS = 'http://www.w3.org/2000/svg';

  // ---------------------------------------------------------------- DOM
  function add(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(parent, c); }); return; }
    if (child instanceof Node) { parent.appendChild(child); return; }
    parent.appendChild(document.createTextNode(String(child)));
  }
  function setAttrs(el, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k.slice(0, 2) === 'on') {
        if (typeof v !== 'function') throw new Error('event handler must be a function: ' + k);
        el.addEventListener(k.slice(2), v);
      } else if (k === 'text') {
        el.textContent = String(v);
      } else if (k === 'style' && typeof v === 'object') {
        Object.keys(v).forEach(function (p) { el.style.setProperty(p, v[p]); });
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    });
  }
  /** LH.el('div', {class: 'x'}, 'text', child, [more]) */
  LH.el = function (tag, attrs) {
    var el = document.createElement(tag);
    setAttrs(el, attrs);
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  };
  LH.svg = function (tag, attrs) {
    var el = document.createElementNS(SVGNS, tag);
    setAttrs(el, attrs);
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  };
  LH.clear = function (el) { while (el.firstChild) el.removeChild(el.firstChild); return el; };
  LH.title = function (text) {
    document.getElementById('page-title').textContent = text;
  };
  /** A card with a heading and an optional line under it. */
  LH.section = function (title, sub, id) {
    return LH.el('section', { class: 'card', id: id }, LH.el('h2', null, title), sub ? LH.el('p', { class: 'sub' }, sub) : null);
  };

  // ---------------------------------------------------------------- formats (as Format.java)
  var fmt = LH.fmt = {};
  function fixed(v, d) { return v.toFixed(d); }
  /** 512 B, 1.50 KB, 23.4 MB, 1.21 GB: binary units, three significant digits. */
  fmt.bytes = function (b) {
    var a = Math.abs(b), sign = b < 0 ? '-' : '';
    if (a < 1024) return sign + a + ' B';
    var units = ['KB', 'MB', 'GB', 'TB'], v = a, u = -1;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    var num = v >= 100 ? fixed(v, 0) : v >= 10 ? fixed(v, 1) : fixed(v, 2);
    return sign + num + ' ' + units[u];
  };
  fmt.signedBytes = function (b) { return (b > 0 ? '+' : '') + fmt.bytes(b); };
  /** 7,612,345 */
  fmt.count = function (n) {
    var s = String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (n < 0 ? '-' : '') + s;
  };
  fmt.signedCount = function (n) { return (n > 0 ? '+' : '') + fmt.count(n); };
  fmt.percent = function (part, whole) {
    if (!(whole > 0)) return '-';
    var p = 100 * part / whole;
    return (p >= 10 ? fixed(p, 0) : fixed(p, 1)) + '%';
  };
  fmt.millis = function (ms) { return ms < 1000 ? ms + ' ms' : fixed(ms / 1000, 2) + ' s'; };
  fmt.basename = function (path) {
    var s = String(path), i = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    return i >= 0 ? s.slice(i + 1) : s;
  };
  /** A source position: "file:line:col" (user code highlighted). */
  LH.loc = function (loc) {
    if (!loc) return LH.el('span', { class: 'note' }, 'the snapshot records no source position for it');
    var file = loc.file ? loc.file : '(unknown script)';
    return LH.el('span', { class: 'loc' + (loc.userCode ? ' user' : '') }, file + ':' + loc.line + ':' + loc.column);
  };

  /** A frame of an allocation stack: "function file:line:col" (application frames highlighted, packages named). */
  LH.frame = function (f, mark) {
    var fn = f['function'] ? f['function'] : '(anonymous)';
    var where = f.file ? ' ' + f.file + (f.line > 0 ? ':' + f.line + ':' + f.column : '') : '';
    return LH.el('div', { class: 'frame' + (mark ? ' app' : '') }, LH.el('span', { class: 'loc' + (mark ? ' user' : '') }, fn + where),
      f['package'] ? LH.el('span', { class: 'note' }, ' [' + f['package'].name + (f['package'].version ? '@' + f['package'].version : '') + ']') : '',
      mark ? LH.el('span', { class: 'note' }, ' \u2190 your code') : '');
  };

  /**
   * Allocation stacks ({count, bytes, class, frames, applicationFrame, site}): one block each, the frames up to
   * the first application frame shown, the rest folded in a <details>.
   */
  LH.allocations = function (stacks) {
    return LH.el('div', { class: 'allocs' }, stacks.map(function (st, i) {
      var head = LH.el('div', { class: 'alloc-head', 'data-key': 'allocation', 'data-value': String(st.count) },
        LH.el('b', null, LH.fmt.count(st.count) + (st.count === 1 ? ' object, ' : ' objects, ') + LH.fmt.bytes(st.bytes)),
        st['class'] ? LH.el('span', { class: 'note' }, ' mostly ' + st['class']) : '',
        st.site ? LH.el('span', null, ' created at ', LH.el('span', { class: 'loc user' }, st.site.file + ':' + st.site.line + ':' + st.site.column), ' ',
          LH.el('code', null, st.site.text)) : '');
      var upTo = st.applicationFrame >= 0 ? st.applicationFrame : 0;
      var shown = [], folded = [];
      st.frames.forEach(function (f, k) {
        var node = LH.frame(f, k === st.applicationFrame);
        if (k === 0 || k === upTo || (k < upTo && f.file && f.file.indexOf('node:') !== 0 && f.file.indexOf('node_modules') < 0)) shown.push(node);
        else folded.push(node);
      });
      return LH.el('div', { class: 'alloc' }, head, shown,
        folded.length ? LH.el('details', null, LH.el('summary', null, folded.length + ' more frames (Node internals, node_modules, callers)'), folded) : '');
    }));
  };

  // ---------------------------------------------------------------- headline numbers
  /**
   * Cards of headline numbers. Each item: {key, label, value (raw number/string), text (shown),
   * detail, tone: 'bad'|'good'}. The raw value is kept in data-value so tests can compare the
   * page with the JSON output.
   */
  LH.headline = function (items) {
    return LH.el('div', { class: 'headline' }, items.map(function (it) {
      return LH.el('div', { class: 'stat' + (it.tone ? ' ' + it.tone : ''), 'data-key': it.key, 'data-value': String(it.value), title: it.title || null },
        LH.el('div', { class: 'label' }, it.label),
        LH.el('div', { class: 'value' }, it.text !== undefined ? it.text : String(it.value)),
        it.detail ? LH.el('div', { class: 'detail' }, it.detail) : null);
    }));
  };

  // ---------------------------------------------------------------- colors
  var PALETTE = 9;
  /** A stable palette slot for a name (same class, same color on every chart). */
  LH.colorIndex = function (name) {
    var h = 2166136261;
    var s = String(name);
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return ((h >>> 0) % PALETTE);
  };
  LH.darkText = function (slot) { return slot === 4 || slot === 5 || slot === 8; };

  // ---------------------------------------------------------------- bars
  /**
   * A stacked bar and a list of bars. items: [{label, value, slot, indent, key}], total: the whole.
   * Items with indent are parts of the item above them and are left out of the stacked bar.
   */
  LH.barList = function (items, total) {
    var stack = LH.el('div', { class: 'stackbar', role: 'img', 'aria-label': 'shares of the total' });
    var list = LH.el('div', { class: 'barlist' });
    items.forEach(function (it) {
      var share = total > 0 ? it.value / total : 0;
      if (!it.indent && it.slot !== undefined && it.value > 0) {
        stack.appendChild(LH.el('div', { class: 'b' + it.slot, style: { width: (share * 100).toFixed(3) + '%' },
          title: it.label + ': ' + fmt.bytes(it.value) + ' (' + fmt.percent(it.value, total) + ')' }));
      }
      list.appendChild(LH.el('div', { class: 'name' + (it.indent ? ' indent' : '') },
        it.slot !== undefined ? LH.el('span', { class: 'swatch b' + it.slot }) : null, it.label));
      list.appendChild(LH.el('div', { class: 'track' },
        LH.el('div', { class: 'fill b' + (it.slot !== undefined ? it.slot : 8), style: { width: (share * 100).toFixed(3) + '%' } })));
      list.appendChild(LH.el('div', { class: 'num', 'data-key': it.key || null, 'data-value': String(it.value) }, fmt.bytes(it.value)));
      list.appendChild(LH.el('div', { class: 'pct' }, fmt.percent(it.value, total)));
    });
    return LH.el('div', null, stack, list);
  };

  // ---------------------------------------------------------------- tables
  /**
   * A sortable, filterable table that shows pageSize rows at a time.
   * opts: {columns: [{label, get(row), num, format(value, row) -> string|Node, cls, title, sortDesc}],
   *        rows, filter: [column indexes searched], placeholder, pageSize, sort: {col, desc}, caption}
   */
  LH.table = function (opts) {
    var cols = opts.columns, all = opts.rows.slice(), pageSize = opts.pageSize || 100;
    var shown = pageSize, query = '', sortCol = opts.sort ? opts.sort.col : -1, desc = opts.sort ? !!opts.sort.desc : false;
    var filtered = all;
    var tbody = LH.el('tbody');
    var count = LH.el('span', { class: 'count' });
    var more = LH.el('button', { type: 'button', class: 'more', onclick: function () { shown += pageSize * 4; render(); } });
    var heads = cols.map(function (c, i) {
      return LH.el('th', { class: 'sortable' + (c.num ? ' num' : ''), title: c.title || 'Sort by ' + c.label, scope: 'col',
        onclick: function () {
          if (sortCol === i) desc = !desc; else { sortCol = i; desc = c.sortDesc !== undefined ? c.sortDesc : !!c.num; }
          apply();
        } }, c.label);
    });
    var input = opts.filter ? LH.el('input', { type: 'search', placeholder: opts.placeholder || 'Filter', 'aria-label': opts.placeholder || 'Filter',
      oninput: function () { query = input.value.toLowerCase(); shown = pageSize; apply(); } }) : null;
    function cmp(a, b) {
      var c = cols[sortCol], x = c.get(a), y = c.get(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;   // missing values last either way
      if (y === null || y === undefined) return -1;
      var r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return desc ? -r : r;
    }
    function apply() {
      filtered = !query ? all.slice() : all.filter(function (row) {
        return opts.filter.some(function (ci) { return String(cols[ci].get(row)).toLowerCase().indexOf(query) >= 0; });
      });
      if (sortCol >= 0) filtered.sort(cmp);
      heads.forEach(function (h, i) {
        h.classList.toggle('sorted-asc', i === sortCol && !desc);
        h.classList.toggle('sorted-desc', i === sortCol && desc);
        h.setAttribute('aria-sort', i === sortCol ? (desc ? 'descending' : 'ascending') : 'none');
      });
      render();
    }
    function render() {
      LH.clear(tbody);
      var frag = document.createDocumentFragment(), n = Math.min(shown, filtered.length);
      for (var r = 0; r < n; r++) {
        var row = filtered[r];
        var tr = document.createElement('tr');
        for (var ci = 0; ci < cols.length; ci++) {
          var c = cols[ci], v = c.get(row);
          var td = LH.el('td', { class: (c.num ? 'num' : '') + (c.cls ? ' ' + c.cls : '') },
            c.format ? c.format(v, row) : (v === null || v === undefined ? '' : String(v)));
          tr.appendChild(td);
        }
        frag.appendChild(tr);
      }
      tbody.appendChild(frag);
      count.textContent = (query ? fmt.count(filtered.length) + ' of ' + fmt.count(all.length) : fmt.count(all.length)) + ' rows' +
        (n < filtered.length ? ', showing ' + fmt.count(n) : '');
      more.textContent = 'Show ' + fmt.count(Math.min(pageSize * 4, filtered.length - n)) + ' more';
      more.style.display = n < filtered.length ? '' : 'none';
    }
    apply();
    var table = LH.el('table', { class: 'data' }, opts.caption ? LH.el('caption', { class: 'note' }, opts.caption) : null,
      LH.el('thead', null, LH.el('tr', null, heads)), tbody);
    return LH.el('div', { class: 'table-box' },
      LH.el('div', { class: 'table-tools' }, input, count),
      LH.el('div', { class: 'table-wrap' }, table), more);
  };

  // ---------------------------------------------------------------- line charts
  function niceStep(range, ticks) {
    var raw = range / Math.max(1, ticks), mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
  }
  function niceBytesStep(range, ticks) {
    // byte axes tick at powers of two: 256 KB, 512 KB, 1 MB ...
    var raw = range / Math.max(1, ticks), unit = 1;
    while (raw >= 1024 * unit && unit < Math.pow(1024, 4)) unit *= 1024;
    var n = raw / unit, m = n <= 1 ? 1 : Math.pow(2, Math.ceil(Math.log2(n)));   // 1, 2, 4 ... 1024 units
    return m * unit;
  }
  /**
   * An SVG line chart. opts: {series: [{name, values, slot}], x: [numbers] (default 0..n-1),
   * xLabel(x) -> string, yFormat(v) -> string, bytes: true for byte ticks, height, width,
   * marks: [{x, label}] (vertical lines, e.g. leak events), zero: false to not start at 0,
   * labelLast: write the last value at the end of each line, title}.
   */
  LH.lineChart = function (opts) {
    var W = opts.width || 520, H = opts.height || 150, padL = 58, padR = opts.labelLast ? 64 : 14, padT = 10, padB = 24;
    var series = opts.series.filter(function (s) { return s.values && s.values.length; });
    var n = series.length ? Math.max.apply(null, series.map(function (s) { return s.values.length; })) : 0;
    var xs = opts.x || Array.from({ length: n }, function (_, i) { return i; });
    var xMin = xs.length ? xs[0] : 0, xMax = xs.length ? xs[xs.length - 1] : 1;
    if (xMax === xMin) { xMin -= 1; xMax += 1; }
    var yMin = Infinity, yMax = -Infinity;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null) { yMin = Math.min(yMin, v); yMax = Math.max(yMax, v); } }); });
    if (!isFinite(yMin)) { yMin = 0; yMax = 1; }
    if (opts.zero !== false) yMin = Math.min(0, yMin);
    if (yMax === yMin) yMax = yMin + 1;
    var step = opts.bytes ? niceBytesStep(yMax - yMin, 4) : niceStep(yMax - yMin, 4);
    var y0 = Math.floor(yMin / step) * step, y1 = Math.ceil(yMax / step) * step;
    var yf = opts.yFormat || fmt.count;
    var X = function (x) { return padL + (x - xMin) / (xMax - xMin) * (W - padL - padR); };
    var Y = function (y) { return padT + (1 - (y - y0) / (y1 - y0)) * (H - padT - padB); };
    var svg = LH.svg('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': opts.title || 'chart' });
    if (opts.title) svg.appendChild(LH.svg('title', null, opts.title));
    for (var t = y0; t <= y1 + step / 2; t += step) {
      svg.appendChild(LH.svg('line', { class: 'grid', x1: padL, x2: W - padR, y1: Y(t), y2: Y(t) }));
      svg.appendChild(LH.svg('text', { x: padL - 6, y: Y(t) + 4, 'text-anchor': 'end' }, yf(t)));
    }
    svg.appendChild(LH.svg('line', { class: 'axis', x1: padL, x2: W - padR, y1: H - padB, y2: H - padB }));
    var xl = opts.xLabel || function (x) { return String(x + 1); };
    var xticks = opts.xTicks || (xs.length <= 12 ? xs : Array.from({ length: 6 }, function (_, i) { return xMin + (xMax - xMin) * i / 5; }));
    xticks.forEach(function (x) {
      svg.appendChild(LH.svg('text', { x: X(x), y: H - 6, 'text-anchor': 'middle' }, xl(x)));
    });
    (opts.marks || []).forEach(function (m) {
      svg.appendChild(LH.svg('line', { class: 'mark', x1: X(m.x), x2: X(m.x), y1: padT, y2: H - padB },
        LH.svg('title', null, m.label)));
    });
    series.forEach(function (s) {
      var slot = s.slot !== undefined ? s.slot : 0, d = '', area = '';
      s.values.forEach(function (v, i) {
        if (v === null) return;
        d += (d ? 'L' : 'M') + X(xs[i]).toFixed(1) + ' ' + Y(v).toFixed(1);
      });
      if (series.length === 1 && d) {
        area = d + 'L' + X(xs[s.values.length - 1]).toFixed(1) + ' ' + Y(y0).toFixed(1) + 'L' + X(xs[0]).toFixed(1) + ' ' + Y(y0).toFixed(1) + 'Z';
        svg.appendChild(LH.svg('path', { class: 'area f' + slot, d: area }));
      }
      svg.appendChild(LH.svg('path', { class: 'line s' + slot, d: d }));
      if (s.values.length <= 40) {
        s.values.forEach(function (v, i) {
          if (v === null) return;
          svg.appendChild(LH.svg('circle', { class: 'dot f' + slot, cx: X(xs[i]), cy: Y(v), r: 3 },
            LH.svg('title', null, (s.name ? s.name + ': ' : '') + yf(v) + ' at ' + xl(xs[i]))));
        });
      }
      if (opts.labelLast) {
        var lastI = s.values.length - 1;
        svg.appendChild(LH.svg('text', { class: 'value-label', x: X(xs[lastI]) + 6, y: Y(s.values[lastI]) + 4 }, yf(s.values[lastI])));
      }
    });
    var box = LH.el('div', { class: 'chart-box' }, opts.heading ? LH.el('h3', null, opts.heading) : null, svg);
    if (series.length > 1 || opts.legend) {
      box.appendChild(LH.el('div', { class: 'legend' }, series.map(function (s) {
        return LH.el('span', null, LH.el('span', { class: 'swatch b' + (s.slot || 0) }), s.name);
      })));
    }
    return box;
  };

  // ---------------------------------------------------------------- treemap
  /*
   * Squarified treemap layout (Bruls, Huizing and van Wijk, "Squarified Treemaps", 2000): items,
   * biggest first, are laid in rows along the shorter side of the remaining rectangle; an item joins
   * the current row while that does not make the row's worst aspect ratio worse. Iterative.
   * items: [{value}] sorted descending, all > 0. Returns [{x, y, w, h}] in the same order.
   */
  LH.squarify = function (items, x, y, w, h) {
    var out = new Array(items.length), total = 0, i = 0;
    items.forEach(function (it) { total += it.value; });
    if (total <= 0 || w <= 0 || h <= 0) return items.map(function () { return { x: x, y: y, w: 0, h: 0 }; });
    var scale = w * h / total;
    while (i < items.length) {
      var side = Math.min(w, h), start = i, sum = 0, min = Infinity, max = 0, worst = Infinity;
      while (i < items.length) {
        var a = items[i].value * scale, s2 = sum + a, mn = Math.min(min, a), mx = Math.max(max, a);
        var r = Math.max(side * side * mx / (s2 * s2), s2 * s2 / (side * side * mn));
        if (i > start && r > worst) break;
        sum = s2; min = mn; max = mx; worst = r; i++;
      }
      var thick = sum / side, pos;
      if (w >= h) {   // a column on the left
        pos = y;
        for (var k = start; k < i; k++) { var hh = items[k].value * scale / thick; out[k] = { x: x, y: pos, w: thick, h: hh }; pos += hh; }
        x += thick; w -= thick;
      } else {        // a row on top
        pos = x;
        for (var k2 = start; k2 < i; k2++) { var ww = items[k2].value * scale / thick; out[k2] = { x: pos, y: y, w: ww, h: thick }; pos += ww; }
        y += thick; h -= thick;
      }
    }
    return out;
  };

  function fitText(s, width) {
    var max = Math.floor((width - 8) / 6.2);
    if (max < 3) return null;
    return s.length <= max ? s : s.slice(0, max - 1) + '\u2026';
  }

  /**
   * A drill-down treemap of a tree given as parallel columns (as DominatorSample writes them):
   * {parent, id, cls, label, edge, self, retained, children}. Shows the focused node's sampled
   * children, each with its own children inside; a click zooms into a node, the breadcrumb goes
   * back up. opts: {total (for shares), heightPx, onSelect(id): called with the object of a clicked area}.
   */
  LH.treemap = function (t, opts) {
    var n = t.parent.length, kids = Array.from({ length: n }, function () { return []; });
    for (var i = 1; i < n; i++) kids[t.parent[i]].push(i);
    var total = opts.total || t.retained[0];
    var focus = 0;
    var crumbs = LH.el('div', { class: 'crumbs', 'aria-label': 'position in the dominator tree' });
    var box = LH.el('div', { class: 'treemap' });
    var info = LH.el('div', { class: 'treemap-info note' }, 'Hover over an area for details; click one to look inside it.');
    function name(i) {
      if (i === 0) return '(root)';
      var l = t.label[i], c = t.cls[i];
      var s = l === c || !l ? c : (l.indexOf(c) === 0 ? l : c + ' ' + l);
      return (t.edge[i] ? t.edge[i] + ' \u2192 ' : '') + s;
    }
    function describe(i) {
      var rest = t.retained[i] - t.self[i];
      kids[i].forEach(function (k) { rest -= t.retained[k]; });
      return name(i) + (i ? ' @' + t.id[i] : '') + ': retains ' + fmt.bytes(t.retained[i]) + ' (' + fmt.percent(t.retained[i], total) +
        ' of the heap), self ' + fmt.bytes(t.self[i]) + ', dominates ' + fmt.count(t.children[i]) + ' objects directly' +
        (t.children[i] > kids[i].length ? ' (' + fmt.count(kids[i].length) + ' shown; the rest, ' + fmt.bytes(Math.max(0, rest)) + ', is grouped)' : '');
    }
    function restOf(i) {
      var r = t.retained[i];
      kids[i].forEach(function (k) { r -= t.retained[k]; });
      return Math.max(0, r);
    }
    function items(i) {
      var list = kids[i].filter(function (k) { return t.retained[k] > 0; }).map(function (k) { return { node: k, value: t.retained[k] }; });
      var rest = restOf(i);
      if (rest > 0) list.push({ node: -1 - i, value: rest });
      list.sort(function (a, b) { return b.value - a.value; });
      return list;
    }
    function go(i) { focus = i; draw(); }
    function drawCrumbs() {
      LH.clear(crumbs);
      var chain = [];
      for (var v = focus; v >= 0; v = t.parent[v]) chain.unshift(v);
      chain.forEach(function (v, k) {
        if (k) crumbs.appendChild(LH.el('span', { class: 'sep' }, '\u203A'));
        crumbs.appendChild(LH.el('button', { type: 'button', title: describe(v), disabled: v === focus, onclick: function () { go(v); } },
          v === 0 ? 'All objects' : name(v)));
      });
    }
    function cell(svg, it, r, depth, outer) {
      var rest = it.node < 0, node = rest ? -1 - it.node : it.node;
      var slot = rest ? -1 : LH.colorIndex(t.cls[node]);
      var open = !rest && kids[node].length > 0;
      var tip = rest ? 'the rest of ' + name(node) + ': its own size and objects too small to draw, ' + fmt.bytes(it.value) : describe(node);
      var g = LH.svg('g', null);
      // a node drawn with its children inside is a pale frame, so that the children stand out
      var frame = depth < 2 && open && r.w > 60 && r.h > (depth ? 40 : 60);
      var rect = LH.svg('rect', { class: 'cell' + (rest ? ' rest' : ' f' + slot) + (open ? ' open' : '') + (frame ? ' frame' : ''),
        x: r.x.toFixed(1), y: r.y.toFixed(1), width: Math.max(0, r.w).toFixed(1), height: Math.max(0, r.h).toFixed(1),
        'data-id': rest ? null : t.id[node] }, LH.svg('title', null, tip));
      g.appendChild(rect);
      rect.addEventListener('mouseenter', function () { info.textContent = tip; });
      // a click opens the area; inside a frame, an area with nothing below it opens its frame
      var target = open ? node : depth ? outer : -1;
      if (target >= 0) {
        rect.classList.add('open');
        rect.addEventListener('click', function (ev) { ev.stopPropagation(); go(target); });
      }
      if (!rest && opts.onSelect) {   // the page also selects the object (leakhound serve: inspector and retainers)
        rect.addEventListener('click', function () { opts.onSelect(t.id[node]); });
      }
      var label = fitText(rest ? '(smaller objects)' : name(node), r.w);
      var textCls = rest || frame ? 'ink' : LH.darkText(slot) ? 'dark' : '';
      if (label && r.h >= 16) {
        g.appendChild(LH.svg('text', { class: 'title ' + textCls, x: r.x + 4, y: r.y + 13 }, label));
        var size = fitText(fmt.bytes(it.value) + ' \u00B7 ' + fmt.percent(it.value, total), r.w);
        if (size && r.h >= 30 && depth === 0) g.appendChild(LH.svg('text', { class: textCls, x: r.x + 4, y: r.y + 26 }, size));
      }
      svg.appendChild(g);
      // one level of children inside, below the labels
      if (frame) {   // two levels below the focused node, where they fit
        var inner = items(node), top = depth ? 18 : 32;
        var sub = LH.squarify(inner, r.x + 3, r.y + top, r.w - 6, r.h - top - 3);
        inner.forEach(function (c, k) { if (sub[k].w >= 2 && sub[k].h >= 2) cell(svg, c, sub[k], depth + 1, node); });
      }
    }
    function draw() {
      drawCrumbs();
      LH.clear(box);
      var W = Math.max(200, box.clientWidth || 800), H = Math.max(160, box.clientHeight || 460);
      var svg = LH.svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'treemap of ' + name(focus) });
      var list = items(focus);
      var rects = LH.squarify(list, 0, 0, W, H);
      list.forEach(function (it, k) { cell(svg, it, rects[k], 0); });
      if (!list.length) svg.appendChild(LH.svg('text', { class: 'ink', x: 10, y: 20 }, 'nothing to show'));
      box.appendChild(svg);
      info.textContent = describe(focus);
    }
    var tools = LH.el('div', { class: 'treemap-tools' },
      LH.el('button', { type: 'button', onclick: function () { if (focus) go(t.parent[focus]); } }, 'Up'), crumbs);
    var root = LH.el('div', null, tools, box, info);
    var lastW = 0;
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (box.clientWidth !== lastW) { lastW = box.clientWidth; draw(); } }).observe(box);
    }
    window.addEventListener('beforeprint', draw);
    root.draw = draw;
    root.go = go;
    setTimeout(draw, 0);
    return root;
  };

  // ---------------------------------------------------------------- retainer paths
  var IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  function shorten(s, max) { s = String(s); return s.length <= max ? s : s.slice(0, max - 1) + '\u2026'; }
  /** How an edge reads in code, as RetainerPath.edgeLabel: .prop, [3], ::variable, {internal}. */
  LH.edgeLabel = function (type, name) {
    switch (type) {
      case 'element': return '[' + name + ']';
      case 'hidden': return '{#' + name + '}';
      case 'property': case 'shortcut': return IDENT.test(name) ? '.' + name : '[' + JSON.stringify(shorten(name, 60)) + ']';
      case 'context': return '::' + name;
      case 'weak': return '{weak ' + shorten(name, 60) + '}';
      case 'internal': return name === 'context' ? '' : '{' + shorten(name, 60) + '}';
      default: return '{' + shorten(name, 60) + '}';
    }
  };
  /**
   * A retainer path drawn as a chain of objects joined by the edges that hold them.
   * steps: [{edge, edgeType, node, label, id}] from the first node below the root.
   * opts: {containerId, targetId, max (steps shown before the middle is folded)}.
   */
  LH.pathChain = function (steps, opts) {
    opts = opts || {};
    var chain = LH.el('div', { class: 'chain', role: 'list' });
    if (!steps || !steps.length) { chain.appendChild(LH.el('span', { class: 'note' }, '(no path from a root)')); return chain; }
    var max = opts.max || 16, folded = steps.length > max;
    var foldFrom = 4, foldTo = steps.length - (max - 5), hidden = 0;   // steps [foldFrom, foldTo) fold away
    for (var h = foldFrom; folded && h < foldTo; h++) hidden += steps[h].elided || 1;
    function draw(all) {
      LH.clear(chain);
      chain.appendChild(LH.el('span', { class: 'root' }, '(root)'));
      steps.forEach(function (st, i) {
        if (!all && folded && i >= foldFrom && i < foldTo) {
          if (i === foldFrom) {
            chain.appendChild(LH.el('button', { type: 'button', class: 'elided', title: 'show the whole path',
              onclick: function () { draw(true); } }, '\u2026 ' + fmt.count(hidden) + ' more steps'));
          }
          return;
        }
        if (st.elided) {   // the report left out the middle of a very deep path
          chain.appendChild(LH.el('span', { class: 'elided' }, '\u2026 ' + fmt.count(st.elided) + ' steps not in this report \u2026'));
          return;
        }
        var synthetic = /^\(.*\)$/.test(st.label || st.node);
        var lead = i === 0 || (synthetic && (st.edgeType === 'element' || st.edgeType === 'hidden'));
        var el = lead ? '' : LH.edgeLabel(st.edgeType, st.edge);
        if (el) chain.appendChild(LH.el('span', { class: 'edge', title: st.edgeType + ' edge' }, el));
        else chain.appendChild(LH.el('span', { class: 'edge', 'aria-hidden': 'true' }));
        var cls = 'node' + (opts.containerId !== undefined && st.id === opts.containerId ? ' container' : '') +
          (i === steps.length - 1 && opts.markLast !== false ? ' target' : '');
        chain.appendChild(LH.el('span', { class: cls, role: 'listitem', title: st.node + ' @' + st.id },
          st.label || st.node, LH.el('span', { class: 'id' }, '@' + st.id)));
      });
    }
    draw(false);
    return chain;
  };

  // ---------------------------------------------------------------- theme, print, boot
  function setupTheme() {
    var rootEl = document.documentElement, btn = document.getElementById('theme-toggle');
    var saved = null;
    try { saved = window.localStorage.getItem('leakhound-theme'); } catch (e) { saved = null; }
    if (saved === 'dark' || saved === 'light') rootEl.setAttribute('data-theme', saved);
    function current() {
      var t = rootEl.getAttribute('data-theme');
      if (t) return t;
      return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    }
    function label() { btn.textContent = current() === 'dark' ? 'Light' : 'Dark'; }
    btn.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      rootEl.setAttribute('data-theme', next);
      try { window.localStorage.setItem('leakhound-theme', next); } catch (e) { /* file: pages may have no storage */ }
      label();
    });
    label();
    document.getElementById('print-button').addEventListener('click', function () { window.print(); });
  }

  LH.boot = function () {
    var main = document.getElementById('report');
    LH.clear(main);
    setupTheme();
    var data;
    try {
      data = JSON.parse(document.getElementById('leakhound-data').textContent);
      var page = LH.pages[data.kind];
      if (!page) throw new Error('this report has no renderer for page type ' + data.kind);
      page(data, main);
      document.documentElement.setAttribute('data-ready', 'true');
    } catch (e) {
      main.appendChild(LH.el('div', { class: 'error-box' }, 'The report could not be drawn: ' + (e && e.message ? e.message : String(e))));
      document.documentElement.setAttribute('data-ready', 'error');
      console.error(e);
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { LH.boot(); });
  else setTimeout(function () { LH.boot(); }, 0);
})();
