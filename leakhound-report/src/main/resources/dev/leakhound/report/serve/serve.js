/*
 * leakhound serve: the explorer page. Every view asks the server's JSON API (README, "leakhound
 * serve") for a small page of data and draws it with the reports' runtime (common.js: LH.el makes
 * text nodes, never markup). Heap strings are untrusted: they reach the page only as text.
 *
 * Layout: a tab bar (Summary, Containment, Dominators, Comparison, Statistics, Leaks, Search), the
 * view, and under it the selected object's Retainers (expandable, with "ignore this retainer") and
 * its inspector. Elements carry data-* attributes (data-class, data-id, data-view) for tests.
 */
(function () {
  'use strict';
  var el = LH.el, fmt = LH.fmt;
  var token = new URLSearchParams(window.location.search).get('token');
  var PAGE = 100;
  var state = { snapshots: [], current: 0, selected: null, ignored: [], tab: 'summary', domFocus: null };
  var dom = {};

  // ---------------------------------------------------------------- API
  function api(path, params) {
    var qs = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      var v = params[k];
      if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
    });
    var url = '/api/' + path + (qs.toString() ? '?' + qs.toString() : '');
    var headers = token ? { 'X-Leakhound-Token': token } : {};
    return fetch(url, { headers: headers, credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j && j.error ? j.error : 'HTTP ' + r.status);
        return j;
      });
    });
  }
  function snap(path) { return 'snapshots/' + state.current + (path ? '/' + path : ''); }
  function failed(box) {
    return function (e) { box.appendChild(el('div', { class: 'error' }, String(e && e.message ? e.message : e))); };
  }

  // ---------------------------------------------------------------- cells
  function distText(o) { return o.distance === null ? '\u2013' : o.system ? '\u2013' : fmt.count(o.distance); }
  function total() { var s = state.snapshots[state.current]; return s ? s.totalBytes : 0; }
  function objName(o) {
    var label = o.label !== o['class'] ? [o.label, el('span', { class: 'muted' }, ' ' + o['class'])] : o.label;
    return [label, el('span', { class: 'oid' }, '@' + o.id)];
  }
  function numCells(o) {
    return [el('td', { class: 'num' }, distText(o)),
      el('td', { class: 'num' }, fmt.bytes(o.shallowBytes)),
      el('td', { class: 'num' }, fmt.bytes(o.retainedBytes)),
      el('td', { class: 'num muted' }, fmt.percent(o.retainedBytes, total()))];
  }
  function header(first) {
    return el('thead', null, el('tr', null, el('th', null, first), el('th', { class: 'num' }, 'Distance'),
      el('th', { class: 'num' }, 'Shallow Size'), el('th', { class: 'num' }, 'Retained Size'), el('th', { class: 'num' }, '%')));
  }
  function indent(level) { return el('span', { style: { 'padding-left': (level * 16) + 'px' } }); }
  function moreRow(cols, text, onClick) {
    var b = el('button', { type: 'button', onclick: onClick }, text);
    return el('tr', { class: 'more-row' }, el('td', { colspan: String(cols) }, b));
  }
  /** Rows inserted after `after`, in order; returns the last one. */
  function insertAfter(after, rows) {
    if (!after.parentNode) return after;   // the table was redrawn meanwhile
    var ref = after;
    rows.forEach(function (r) { ref.parentNode.insertBefore(r, ref.nextSibling); ref = r; });
    return ref;
  }
  /** Removes the rows below `row` that are deeper than it (its expansion). */
  function collapse(row) {
    var level = Number(row.getAttribute('data-level'));
    var next = row.nextSibling;
    while (next && Number(next.getAttribute('data-level')) > level) {
      var n = next.nextSibling;
      next.parentNode.removeChild(next);
      next = n;
    }
  }
  function objectRow(o, level, edge, expand) {
    var twisty = el('span', { class: 'twisty' }, expand ? '\u25B8' : '');
    var tr = el('tr', { class: 'obj', 'data-id': String(o.id), 'data-level': String(level) },
      el('td', { class: 'name', title: o.label + ' @' + o.id }, indent(level), twisty,
        edge ? el('span', { class: 'edge' }, edge) : null, objName(o)),
      numCells(o));
    if (expand) {
      twisty.addEventListener('click', function (ev) {
        ev.stopPropagation();
        if (tr.getAttribute('data-open') === 'true') {
          collapse(tr);
          tr.setAttribute('data-open', 'false');
          twisty.textContent = '\u25B8';
        } else {
          tr.setAttribute('data-open', 'true');
          twisty.textContent = '\u25BE';
          expand(tr, level + 1);
        }
      });
    }
    tr.addEventListener('click', function () { select(o.id, tr); });
    return tr;
  }
  function edgeText(e) { return e.label ? e.label + ' in' : '{' + e.edgeType + '} in'; }

  // ---------------------------------------------------------------- selection: retainers + inspector
  function select(id, tr) {
    var prev = document.querySelectorAll('tr.selected');
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove('selected');
    if (tr) tr.classList.add('selected');
    if (state.selected !== id) state.ignored = [];
    state.selected = id;
    drawRetainers();
    drawInspector();
  }

  function drawRetainers() {
    var box = LH.clear(dom.retainers);
    var id = state.selected;
    box.appendChild(el('h2', null, 'Retainers'));
    if (id === null) { box.appendChild(el('p', { class: 'note' }, 'Select an object to see what retains it.')); return; }
    var ign = el('div', { class: 'ignored' });
    box.appendChild(ign);
    if (state.ignored.length) {
      ign.appendChild(el('span', { class: 'note' }, 'Ignored retainers (distances recomputed without them):'));
      state.ignored.forEach(function (x) {
        ign.appendChild(el('button', { type: 'button', title: 'restore this retainer', onclick: function () {
          state.ignored = state.ignored.filter(function (y) { return y !== x; });
          drawRetainers();
        } }, '@' + x + ' \u00D7'));
      });
    }
    var paths = el('div', { class: 'paths', 'data-view': 'paths' });
    box.appendChild(paths);
    var table = el('table', { class: 'grid', 'data-view': 'retainers' }, header('Object'));
    var body = el('tbody');
    table.appendChild(body);
    box.appendChild(table);
    function loadPaths(k) {
      api(snap('objects/' + id + '/paths'), { k: k }).then(function (p) {
        LH.clear(paths);
        if (!p.paths.length) { paths.appendChild(el('p', { class: 'note' }, 'No root reaches this object through strong edges.')); return; }
        paths.appendChild(el('div', { class: 'note' }, 'Shortest retainer path' + (p.paths.length > 1 ? 's' : '') + ' from the roots: ',
          k === 1 ? el('button', { type: 'button', class: 'link', id: 'more-paths', onclick: function () { loadPaths(3); } }, 'show the 3 shortest') : null));
        p.paths.forEach(function (path) { paths.appendChild(LH.pathChain(path.path, { targetId: p.id })); });
      }, failed(paths));
    }
    loadPaths(1);
    var anchor = el('tr', { 'data-level': '-1', hidden: true });
    body.appendChild(anchor);
    loadRetainers(id, anchor, 0, 0);
  }

  function loadRetainers(id, after, level, offset) {
    return api(snap('objects/' + id + '/retainers'), { offset: offset, limit: 50, ignore: state.ignored.join(',') }).then(function (r) {
      var rows = r.edges.map(function (e) {
        var row = objectRow(e.object, level, edgeText(e), e.object.retainerCount > 0 ? function (tr, lv) { loadRetainers(e.object.id, tr, lv, 0); } : null);
        var ignore = el('button', { type: 'button', class: 'link', title: 'ignore this retainer: recompute distances as if it held nothing',
          onclick: function (ev) { ev.stopPropagation(); state.ignored.push(e.object.id); drawRetainers(); } }, 'ignore');
        row.firstChild.appendChild(el('span', null, ' ', ignore));
        return row;
      });
      if (!r.edges.length && level === 0) {
        rows.push(el('tr', { 'data-level': String(level) }, el('td', { colspan: '5', class: 'note' }, 'No retainers (other than the root and weak edges).')));
      }
      var rest = r.total - r.offset - r.edges.length;
      if (rest > 0) {
        var more = moreRow(5, 'Show ' + fmt.count(Math.min(50, rest)) + ' more of ' + fmt.count(rest), function () {
          var prev = more.previousSibling;
          more.parentNode.removeChild(more);
          loadRetainers(id, prev, level, r.offset + r.edges.length);
        });
        more.setAttribute('data-level', String(level));
        rows.push(more);
      }
      if (rows.length) insertAfter(after, rows);
    }, failed(dom.retainers));
  }

  function drawInspector() {
    var box = LH.clear(dom.inspector);
    box.appendChild(el('h2', null, 'Object'));
    var id = state.selected;
    if (id === null) return;
    api(snap('objects/' + id), { edges: 100, retainers: 0 }).then(function (o) {
      var kv = el('div', { class: 'kv', 'data-view': 'inspector', 'data-id': String(o.id) });
      function row(k, v) { kv.appendChild(el('div', { class: 'k' }, k)); kv.appendChild(el('div', { class: 'v' }, v)); }
      row('Object', ['@' + o.id]);
      row('Class', o['class']);
      row('Type', o.type);
      row('Name', o.name);
      row('Shallow size', fmt.bytes(o.shallowBytes));
      row('Retained size', fmt.bytes(o.retainedBytes) + ' (' + fmt.percent(o.retainedBytes, total()) + ' of the heap)');
      row('Distance', o.distance === null ? 'not reached from the roots' : o.system ? 'reached only from GC roots' : fmt.count(o.distance));
      row('Dominator', o.dominator ? link(o.dominator.id, o.dominator.label + ' @' + o.dominator.id) : '(none)');
      row('Keeps alive', el('button', { type: 'button', class: 'link', id: 'open-dominators', onclick: function () {
        state.domFocus = o.id; show('dominators');
      } }, fmt.bytes(o.retainedBytes) + ': show in Dominators'));
      row('Source', LH.loc(o.location));
      row('Path', o.pathText || '(none)');
      if (o.allocationTraces) row('Allocated by', o.allocations.length ? stackView(o.allocations[0]) : 'no stack (allocated before tracking started)');
      box.appendChild(kv);
      box.appendChild(el('div', { class: 'note' }, 'Edges (' + fmt.count(o.edgeCount) + (o.edgeCount > o.edges.length ? ', first ' + o.edges.length : '') + '):'));
      var t = el('table', { class: 'grid', 'data-view': 'edges' }, el('thead', null, el('tr', null, el('th', null, 'Edge'),
        el('th', null, 'Object'), el('th', { class: 'num' }, 'Shallow'), el('th', { class: 'num' }, 'Retained'))));
      var tb = el('tbody');
      o.edges.forEach(function (e) {
        var tr = el('tr', { class: 'obj', 'data-id': String(e.id) }, el('td', { class: 'name' }, el('span', { class: 'edge' }, e.label || '{' + e.edgeType + '}')),
          el('td', { class: 'name' }, e.objectLabel, el('span', { class: 'oid' }, '@' + e.id)),
          el('td', { class: 'num' }, fmt.bytes(e.shallowBytes)), el('td', { class: 'num' }, fmt.bytes(e.retainedBytes)));
        tr.addEventListener('click', function () { select(e.id, null); });
        tb.appendChild(tr);
      });
      t.appendChild(tb);
      box.appendChild(t);
    }, failed(box));
  }
  /** An allocation stack, innermost frame first, as function file:line:column; the first application frame marked. */
  function stackView(st) {
    var list = el('ol', { class: 'stack', 'data-view': 'allocation' });
    st.frames.forEach(function (f, i) {
      var where = f.file ? f.file + (f.line ? ':' + f.line + ':' + f.column : '') : '';
      var app = i === st.applicationFrame;
      list.appendChild(el('li', { class: app ? 'app' : null, 'data-app': app ? 'true' : null },
        el('span', { class: 'fn' }, f['function'] || '(anonymous)'), ' ', el('span', { class: 'muted' }, where),
        app ? el('span', { class: 'tag' }, ' \u2190 first application frame') : null));
    });
    if (st.framesElided) list.appendChild(el('li', { class: 'muted' }, '\u2026 ' + fmt.count(st.framesElided) + ' more frames'));
    return list;
  }
  function link(id, text) {
    return el('button', { type: 'button', class: 'link', 'data-id': String(id), onclick: function () { select(id, null); } }, text);
  }

  // ---------------------------------------------------------------- views
  var views = {};

  views.summary = function (box) {
    var s = state.snapshots[state.current];
    var filter = el('input', { type: 'search', placeholder: 'Class filter', 'aria-label': 'class filter', id: 'class-filter' });
    var since = el('select', { id: 'since-select', 'aria-label': 'which objects' },
      el('option', { value: '' }, 'All objects'), el('option', { value: 'duplicates' }, 'Duplicated strings'));
    state.snapshots.forEach(function (o) {
      if (o.index < s.index) since.appendChild(el('option', { value: String(o.index) }, 'Objects allocated between #' + o.index + ' and #' + s.index));
    });
    var info = el('span', { class: 'note' });
    box.appendChild(el('div', { class: 'view-tools' }, filter, since, info));
    var table = el('table', { class: 'grid', 'data-view': 'summary' }, header('Constructor'));
    var body = el('tbody');
    table.appendChild(body);
    box.appendChild(table);
    var timer = null, generation = 0;
    function load(offset) {
      var asked = filter.value, sinceAsked = since.value, mine = offset === 0 ? ++generation : generation;
      if (sinceAsked === 'duplicates') return loadDuplicates(offset, mine);
      return api(snap('summary'), { filter: asked, since: sinceAsked, offset: offset, limit: 200 }).then(function (r) {
        if (mine !== generation) return;   // a newer filter was asked for meanwhile
        if (offset === 0) LH.clear(body);
        info.textContent = fmt.count(r.total) + ' of ' + fmt.count(r.classCount) + ' classes';
        r.classes.forEach(function (c) { body.appendChild(classRow(c, since)); });
        var rest = r.total - r.offset - r.classes.length;
        if (rest > 0) {
          var more = moreRow(5, 'Show more classes (' + fmt.count(rest) + ' left)', function () {
            body.removeChild(more); load(r.offset + r.classes.length);
          });
          more.setAttribute('data-level', '0');
          body.appendChild(more);
        }
        table.setAttribute('data-loaded', 'true');
        table.setAttribute('data-filter', asked);
        table.setAttribute('data-since', sinceAsked);
      }, failed(box));
    }
    // DevTools' "Duplicated strings": texts with more than one copy, the biggest waste first, each expandable to its copies
    function loadDuplicates(offset, mine) {
      return api(snap('duplicates'), { offset: offset, limit: 200 }).then(function (r) {
        if (mine !== generation) return;
        if (offset === 0) LH.clear(body);
        info.textContent = fmt.count(r.texts) + ' duplicated strings, ' + fmt.count(r.copies) + ' extra copies wasting ' + fmt.bytes(r.wastedBytes);
        r.strings.forEach(function (d) { body.appendChild(duplicateRow(d)); });
        var rest = r.total - r.offset - r.strings.length;
        if (rest > 0) {
          var more = moreRow(5, 'Show more strings (' + fmt.count(rest) + ' left)', function () {
            body.removeChild(more); loadDuplicates(r.offset + r.strings.length, mine);
          });
          more.setAttribute('data-level', '0');
          body.appendChild(more);
        }
        table.setAttribute('data-loaded', 'true');
        table.setAttribute('data-filter', filter.value);
        table.setAttribute('data-since', 'duplicates');
      }, failed(box));
    }
    filter.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { load(0); }, 200); });
    since.addEventListener('change', function () { load(0); });
    load(0);
  };

  function classRow(c, since) {
    var twisty = el('span', { class: 'twisty' }, '\u25B8');
    var tr = el('tr', { class: 'cls', 'data-class': c.name, 'data-class-id': String(c.classId), 'data-level': '0' },
      el('td', { class: 'name', title: c.name }, twisty, c.name, el('span', { class: 'muted' }, ' \u00D7' + fmt.count(c.count))),
      el('td', { class: 'num' }, c.distance === null ? '\u2013' : fmt.count(c.distance)),
      el('td', { class: 'num' }, fmt.bytes(c.shallowBytes)),
      el('td', { class: 'num' }, c.retainedBytes === null ? '\u2013' : fmt.bytes(c.retainedBytes)),
      el('td', { class: 'num muted' }, c.retainedBytes === null ? '' : fmt.percent(c.retainedBytes, total())));
    tr.addEventListener('click', function () {
      if (tr.getAttribute('data-open') === 'true') {
        collapse(tr); tr.setAttribute('data-open', 'false'); twisty.textContent = '\u25B8';
      } else {
        tr.setAttribute('data-open', 'true'); twisty.textContent = '\u25BE';
        loadInstances(c, tr, 0, since.value);
      }
    });
    return tr;
  }

  function duplicateRow(d) {
    var twisty = el('span', { class: 'twisty' }, '\u25B8');
    var tr = el('tr', { class: 'dup', 'data-text-id': String(d.textId), 'data-level': '0' },
      el('td', { class: 'name', title: d.text }, twisty, '"' + d.text + '"', el('span', { class: 'muted' }, ' \u00D7' + fmt.count(d.copies))),
      el('td', { class: 'num' }, ''),
      el('td', { class: 'num' }, fmt.bytes(d.eachBytes) + ' each'),
      el('td', { class: 'num', title: 'all copies but one' }, fmt.bytes(d.wastedBytes) + ' wasted'),
      el('td', { class: 'num muted' }, fmt.percent(d.wastedBytes, total())));
    tr.addEventListener('click', function () {
      if (tr.getAttribute('data-open') === 'true') {
        collapse(tr); tr.setAttribute('data-open', 'false'); twisty.textContent = '\u25B8';
      } else {
        tr.setAttribute('data-open', 'true'); twisty.textContent = '\u25BE';
        loadCopies(d, tr, 0);
      }
    });
    return tr;
  }

  function loadCopies(d, after, offset) {
    api(snap('duplicates/' + d.textId), { offset: offset, limit: PAGE }).then(function (r) {
      var rows = r.objects.map(function (o) { return objectRow(o, 1, null, null); });
      var rest = r.total - r.offset - r.objects.length;
      if (rest > 0) {
        var more = moreRow(5, 'Show ' + fmt.count(Math.min(PAGE, rest)) + ' more of ' + fmt.count(rest) + ' copies', function () {
          var prev = more.previousSibling;
          more.parentNode.removeChild(more);
          loadCopies(d, prev, r.offset + r.objects.length);
        });
        more.setAttribute('data-level', '1');
        rows.push(more);
      }
      if (rows.length) insertAfter(after, rows);
    }, failed(dom.view));
  }

  function loadInstances(c, after, offset, sinceIndex) {
    api(snap('classes/' + c.classId + '/instances'), { offset: offset, limit: PAGE, since: sinceIndex }).then(function (r) {
      var rows = r.objects.map(function (o) { return objectRow(o, 1, null, null); });
      var rest = r.total - r.offset - r.objects.length;
      if (rest > 0) {
        var more = moreRow(5, 'Show ' + fmt.count(Math.min(PAGE, rest)) + ' more of ' + fmt.count(rest) + ' instances', function () {
          var prev = more.previousSibling;
          more.parentNode.removeChild(more);
          loadInstances(c, prev, r.offset + r.objects.length, sinceIndex);
        });
        more.setAttribute('data-level', '1');
        rows.push(more);
      }
      if (rows.length) insertAfter(after, rows);
    }, failed(dom.view));
  }

  function edgeTree(box, name, firstPath, childPath) {
    var table = el('table', { class: 'grid', 'data-view': name }, header('Object'));
    var body = el('tbody');
    table.appendChild(body);
    box.appendChild(table);
    var anchor = el('tr', { 'data-level': '-1', hidden: true });
    body.appendChild(anchor);
    function load(path, after, level, offset) {
      api(path, { offset: offset, limit: PAGE }).then(function (r) {
        var rows = r.edges.map(function (e) {
          return objectRow(e.object, level, e.label || '{' + e.edgeType + '}', e.object.edgeCount > 0 ? function (tr, lv) {
            load(childPath(e.object.id), tr, lv, 0);
          } : null);
        });
        var rest = r.total - r.offset - r.edges.length;
        if (rest > 0) {
          var more = moreRow(5, 'Show ' + fmt.count(Math.min(PAGE, rest)) + ' more of ' + fmt.count(rest), function () {
            var prev = more.previousSibling;
            more.parentNode.removeChild(more);
            load(path, prev, level, r.offset + r.edges.length);
          });
          more.setAttribute('data-level', String(level));
          rows.push(more);
        }
        if (rows.length) insertAfter(after, rows);
        table.setAttribute('data-loaded', 'true');
      }, failed(box));
    }
    load(firstPath, anchor, 0, 0);
  }

  views.containment = function (box) {
    box.appendChild(el('p', { class: 'note' }, 'What each object holds, from the root: expand an object to see its edges.'));
    edgeTree(box, 'containment', snap('containment'), function (id) { return snap('objects/' + id + '/children'); });
  };

  views.dominators = function (box) {
    var tm = el('div', { 'data-view': 'treemap' });
    box.appendChild(tm);
    api(snap('treemap')).then(function (r) {
      tm.appendChild(LH.treemap(r.dominators, { total: r.totalBytes, onSelect: function (id) { select(id, null); } }));
      tm.setAttribute('data-loaded', 'true');
    }, failed(tm));
    var focus = state.domFocus;
    box.appendChild(el('p', { class: 'note' }, focus === null ? 'The dominator tree, biggest first: what each object keeps alive on its own.'
      : 'What @' + focus + ' keeps alive on its own, biggest first. ',
      focus === null ? null : el('button', { type: 'button', class: 'link', id: 'dominators-all', onclick: function () { state.domFocus = null; show('dominators'); } },
        'Back to the whole tree')));
    var table = el('table', { class: 'grid', 'data-view': 'dominators', 'data-focus': focus === null ? '' : String(focus) }, header('Object'));
    var body = el('tbody');
    table.appendChild(body);
    box.appendChild(table);
    function nodeRow(n, level) {
      var o = { id: n.id, label: n.label, 'class': n['class'], distance: null, system: false, shallowBytes: n.shallowBytes, retainedBytes: n.retainedBytes };
      var row = objectRow(o, level, n.edge, n.childCount > 0 ? function (tr, lv) { load(n.id, tr, lv, false); } : null);
      row.children[1].textContent = '';
      return row;
    }
    // withRoot: the object itself first (open), its dominated objects below it
    function load(id, after, level, withRoot) {
      api(snap('dominators'), { id: id, depth: 1, limit: 50 }).then(function (r) {
        var rows = [], kidLevel = level;
        if (withRoot) {
          var top = nodeRow(r.root, level);
          top.setAttribute('data-open', 'true');
          top.querySelector('.twisty').textContent = '\u25BE';
          rows.push(top);
          kidLevel = level + 1;
        }
        r.root.children.forEach(function (n) { rows.push(nodeRow(n, kidLevel)); });
        if (r.root.otherCount > 0) {
          rows.push(el('tr', { 'data-level': String(kidLevel) }, el('td', { class: 'note', colspan: '5' }, indent(kidLevel),
            '\u2026 ' + fmt.count(r.root.otherCount) + ' more, retaining ' + fmt.bytes(r.root.otherRetainedBytes))));
        }
        if (rows.length) insertAfter(after, rows);
        table.setAttribute('data-loaded', 'true');
      }, failed(box));
    }
    var anchor = el('tr', { 'data-level': '-1', hidden: true });
    body.appendChild(anchor);
    load(focus, anchor, 0, focus !== null);
  };

  views.comparison = function (box) {
    if (state.snapshots.length < 2) {
      box.appendChild(el('p', { class: 'note' }, 'Comparison needs two snapshots: start leakhound serve with two or more files.'));
      return;
    }
    var base = el('select', { id: 'base-select', 'aria-label': 'base snapshot' });
    state.snapshots.forEach(function (o) {
      if (o.index !== state.current) base.appendChild(el('option', { value: String(o.index) }, '#' + o.index + ' ' + o.name));
    });
    if (state.current > 0) base.value = String(state.current - 1);
    var out = el('div');
    box.appendChild(el('div', { class: 'view-tools' }, el('span', { class: 'note' }, 'Compared with'), base));
    box.appendChild(out);
    function load() {
      LH.clear(out);
      api('compare', { base: base.value, target: state.current, limit: 500 }).then(function (r) {
        r.warnings.forEach(function (w) { out.appendChild(el('div', { class: 'warning-box' }, w)); });
        out.appendChild(el('p', { class: 'note' }, fmt.count(r.classCount) + ' classes changed; heap ' + fmt.signedBytes(r.deltaBytes)));
        var t = el('table', { class: 'grid', 'data-view': 'comparison' }, el('thead', null, el('tr', null,
          ['Constructor', '# New', '# Deleted', '# Delta', 'Alloc. Size', 'Freed Size', 'Size Delta'].map(function (h, i) {
            return el('th', { class: i ? 'num' : null }, h);
          }))));
        var tb = el('tbody');
        r.classes.forEach(function (c) {
          tb.appendChild(el('tr', { 'data-class': c.name }, el('td', { class: 'name' }, c.name),
            el('td', { class: 'num' }, fmt.count(c.newCount)), el('td', { class: 'num' }, fmt.count(c.deletedCount)),
            el('td', { class: 'num' }, fmt.signedCount(c.deltaCount)), el('td', { class: 'num' }, fmt.bytes(c.allocatedBytes)),
            el('td', { class: 'num' }, fmt.bytes(c.freedBytes)), el('td', { class: 'num' }, fmt.signedBytes(c.deltaBytes))));
        });
        t.appendChild(tb);
        out.appendChild(t);
        t.setAttribute('data-loaded', 'true');
      }, failed(out));
    }
    base.addEventListener('change', load);
    load();
  };

  views.statistics = function (box) {
    api(snap('statistics')).then(function (r) {
      var s = r.statistics;
      box.appendChild(LH.headline([
        { key: 'totalBytes', label: 'Total', value: s.total, text: fmt.bytes(s.total) },
        { key: 'nodes', label: 'Objects', value: r.nodes, text: fmt.count(r.nodes) },
        { key: 'edges', label: 'Edges', value: r.edges, text: fmt.count(r.edges) },
        { key: 'unreachableNodes', label: 'Unreachable', value: r.unreachableNodes, text: fmt.count(r.unreachableNodes) }]));
      var items = [
        { label: 'V8 heap', value: s.v8Heap, slot: 0 }, { label: 'Code', value: s.code, slot: 1, indent: true },
        { label: 'Strings', value: s.strings, slot: 2, indent: true }, { label: 'JS arrays', value: s.jsArrays, slot: 3, indent: true },
        { label: 'System objects', value: s.system, slot: 4, indent: true }, { label: 'Other', value: s.other, slot: 8, indent: true },
        { label: 'Native', value: s['native'], slot: 5 }, { label: 'Typed arrays', value: s.typedArrays, slot: 6, indent: true }];
      var card = el('div', { 'data-view': 'statistics', 'data-loaded': 'true' });
      card.appendChild(LH.barList(items, s.total));
      box.appendChild(card);
    }, failed(box));
  };

  function idLink(id, text) {
    return el('button', { type: 'button', class: 'link', 'data-id': String(id), onclick: function () { select(id, null); } }, text || '@' + id);
  }

  views.leaks = function (box) {
    var s = state.snapshots[state.current];
    var series = state.snapshots.length >= 3;
    var last = state.snapshots.length - 1;
    if (series) {
      var lk = el('div', { 'data-view': 'leaks' });
      box.appendChild(el('h2', null, 'find-leaks over the ' + state.snapshots.length + ' snapshots'));
      box.appendChild(lk);
      lk.appendChild(el('p', { class: 'note' }, 'Comparing the snapshots\u2026'));
      api('leaks', { limit: 10 }).then(function (r) {
        LH.clear(lk);
        lk.appendChild(el('p', { 'data-key': 'verdict', 'data-value': r.verdict }, r.verdict === 'leak' ? 'LEAK: ' + r.leaks.length + ' growing group(s).' : 'No leak found.'));
        r.leaks.forEach(function (l) {
          var f = el('div', { class: 'finding' }, el('h3', null, '#' + l.rank + ' ' + l.summary),
            el('div', { class: 'note' }, fmt.bytes(l.retainedBytes) + ' retained, ' + fmt.count(l.count) + ' objects, growing ' + fmt.signedBytes(l.growthBytes) + ' per snapshot'),
            el('div', { class: 'mono' }, l.pathText), el('div', { class: 'note' }, l.hint));
          if (l.container && l.container.id >= 0) {
            f.appendChild(el('div', null, 'Accumulation point: ', el('button', { type: 'button', class: 'link', onclick: function () {
              state.current = last; dom.select.value = String(last); select(l.container.id, null);
            } }, l.container['class'] + ' @' + l.container.id + ' (snapshot #' + last + ')')));
          }
          lk.appendChild(f);
        });
        lk.setAttribute('data-loaded', 'true');
      }, failed(lk));
    }
    var dg = el('div', { 'data-view': 'diagnosis' });
    box.appendChild(el('h2', null, 'Diagnosis of snapshot #' + s.index));
    box.appendChild(dg);
    api(snap('diagnosis')).then(function (r) {
      var d = r.diagnosis;
      dg.appendChild(el('p', { 'data-key': 'diagnosisVerdict' }, d.verdict));
      d.suspects.forEach(function (x) {
        dg.appendChild(el('div', { class: 'finding' }, el('h3', null, 'Suspect: ' + x.label + ' (' + x['class'] + ')'),
          el('div', { class: 'note' }, fmt.bytes(x.retainedBytes) + ' retained'), el('div', { class: 'mono' }, x.pathText),
          x.id !== null ? idLink(x.id) : null, x.accumulation ? el('div', null, 'Accumulation point: ', idLink(x.accumulation.id, x.accumulation.label + ' @' + x.accumulation.id)) : null));
      });
      d.findings.forEach(function (f) {
        dg.appendChild(el('div', { class: 'finding' }, el('h3', null, f.title), el('div', { class: 'mono' }, f.pathText || ''),
          f.id !== null ? idLink(f.id) : null, el('div', { class: 'note' }, f.fix)));
      });
      dg.setAttribute('data-loaded', 'true');
    }, failed(dg));
  };

  views.search = function (box) {
    var input = el('input', { type: 'search', id: 'search-input', placeholder: '@123, or text in strings / class names', 'aria-label': 'search' });
    var kind = el('select', { id: 'search-kind', 'aria-label': 'search in' }, el('option', { value: 'string' }, 'String content'),
      el('option', { value: 'class' }, 'Class name'));
    var go = el('button', { type: 'button', id: 'search-go' }, 'Search');
    var out = el('div');
    box.appendChild(el('div', { class: 'view-tools' }, input, kind, go));
    box.appendChild(out);
    function run() {
      LH.clear(out);
      var q = input.value.trim();
      if (!q) return;
      var params = { limit: 200 };
      if (/^@\d+$/.test(q)) params.id = q; else params[kind.value] = q;
      api(snap('search'), params).then(function (r) {
        out.appendChild(el('p', { class: 'note' }, fmt.count(r.matched) + ' matched' + (r.omitted ? ', first ' + r.objects.length + ' shown' : '')));
        var t = el('table', { class: 'grid', 'data-view': 'search' }, header('Object'));
        var tb = el('tbody');
        r.objects.forEach(function (o) { tb.appendChild(objectRow(o, 0, null, null)); });
        t.appendChild(tb);
        out.appendChild(t);
        t.setAttribute('data-loaded', 'true');
      }, failed(out));
    }
    go.addEventListener('click', run);
    input.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') run(); });
  };

  var TABS = [['summary', 'Summary'], ['containment', 'Containment'], ['dominators', 'Dominators'], ['comparison', 'Comparison'],
    ['statistics', 'Statistics'], ['leaks', 'Leaks'], ['search', 'Search']];

  function show(tab) {
    state.tab = tab;
    var buttons = dom.tabs.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-selected', String(buttons[i].getAttribute('data-tab') === tab));
    LH.clear(dom.view);
    dom.view.setAttribute('data-tab', tab);
    views[tab](dom.view);
  }

  LH.pages.serve = function (data, main) {
    dom.select = document.getElementById('snapshot-select');
    dom.tabs = el('nav', { class: 'tabs', role: 'tablist' }, TABS.map(function (t) {
      return el('button', { type: 'button', role: 'tab', id: 'tab-' + t[0], 'data-tab': t[0], onclick: function () {
        if (t[0] === 'dominators') state.domFocus = null;   // the tab opens the whole tree
        show(t[0]);
      } }, t[1]);
    }));
    dom.view = el('section', { class: 'view', id: 'view' });
    dom.retainers = el('div', { id: 'retainers' });
    dom.inspector = el('div', { id: 'inspector' });
    main.appendChild(dom.tabs);
    main.appendChild(el('div', { class: 'panes' }, dom.view, el('section', { class: 'bottom' }, dom.retainers, dom.inspector)));
    api('snapshots').then(function (r) {
      state.snapshots = r.snapshots;
      state.current = r.snapshots.length - 1;
      r.snapshots.forEach(function (s) {
        dom.select.appendChild(el('option', { value: String(s.index) }, '#' + s.index + ' ' + s.name));
      });
      dom.select.value = String(state.current);
      dom.select.addEventListener('change', function () {
        state.current = Number(dom.select.value);
        state.selected = null;
        state.ignored = [];
        state.domFocus = null;
        drawRetainers();
        LH.clear(dom.inspector);
        show(state.tab);
      });
      LH.title(r.snapshots[state.current].name);
      drawRetainers();
      show('summary');
      document.documentElement.setAttribute('data-api', 'ready');
    }, function (e) {
      main.appendChild(el('div', { class: 'error-box' }, 'The server did not answer: ' + (e && e.message ? e.message : e)));
      document.documentElement.setAttribute('data-api', 'error');
    });
  };
})();
