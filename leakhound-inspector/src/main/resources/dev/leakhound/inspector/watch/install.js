// Injected into the target by `leakhound watch` (Runtime.evaluate). Records every GC (kind, pause,
// heap used right after it) into a fixed-size ring and hides the state on globalThis under
// Symbol.for('leakhound.watch') (a symbol key: invisible to Object.keys, JSON.stringify, for-in).
//   - With v8.GCProfiler (Node >= 18.15 / 19.6) the heap size after each GC comes from V8's GC epilogue,
//     as memwatch read it; the profiler is rotated once a second, which stamps each GC's time to within 1 s.
//   - Otherwise a PerformanceObserver on 'gc' entries gives kind and pause exactly, and the heap size is
//     read when its callback runs (the next turn of the event loop: it includes what was allocated since).
// GCs run by leakhound itself (watch --gc-every) are bracketed by forcedBegin()/forcedEnd() and tagged with
// a group number, so that the several full GCs of one HeapProfiler.collectGarbage count as one.
// Footprint: one unref'd 1 s timer, the profiler (or observer), a Float64Array of __MAX__ x 5 numbers, and
// per poll a read of /proc/self/status (Linux) plus about 3 KB of temporary data per GC from the profiler.
// Dead man's switch: when leakhound has not polled for __IDLE__ ms (it was killed), everything is removed.
// Placeholders __MAX__, __IDLE__, __MODE__ are replaced by leakhound before evaluation.
(() => {
  const KEY = Symbol.for('leakhound.watch');
  const g = globalThis;
  if (g[KEY]) { try { g[KEY].uninstall(); } catch (e) { /* replaced below */ } }
  const load = (m) => (process.getBuiltinModule ? process.getBuiltinModule(m) : require(m));
  const v8 = load('v8');
  const perf = load('perf_hooks');
  const MAX = __MAX__, IDLE = __IDLE__, MODE = '__MODE__';
  const W = 5;
  const ring = new Float64Array(MAX * W);   // [endTimeMs, kind, pauseMs, usedHeapAfter, forcedGroup] per GC
  let head = 0, count = 0, dropped = 0, lastPoll = Date.now(), total = 0;
  let group = 0, forced = 0;                // forced: the group being run by leakhound, 0 when none
  const windows = [];                       // observer mode: [group, startMs, endMs] of forced GCs
  const push = (t, kind, ms, used, grp) => {
    const i = ((head + count) % MAX) * W;
    ring[i] = t; ring[i + 1] = kind; ring[i + 2] = ms; ring[i + 3] = used; ring[i + 4] = grp;
    if (count < MAX) count++; else { head = (head + 1) % MAX; dropped++; }
    total++;
  };
  // perf_hooks kinds: 1 minor (scavenge), 4 major (mark-sweep-compact), 8 incremental marking, 16 weak callbacks
  const KINDS = { Scavenge: 1, MinorMarkCompact: 1, MinorMarkSweep: 1, MarkSweepCompact: 4,
                  IncrementalMarking: 8, ProcessWeakCallbacks: 16 };
  let profiler = null, observer = null;
  const useProfiler = MODE !== 'observer' && typeof v8.GCProfiler === 'function';
  const rotate = () => {
    if (!profiler) return;
    const r = profiler.stop();
    const t = Date.now();
    profiler.start();
    const st = (r && r.statistics) || [];
    for (let i = 0; i < st.length; i++) {
      const s = st[i];
      push(t, KINDS[s.gcType] || 0, s.cost / 1000, s.afterGC.heapStatistics.usedHeapSize, forced);
    }
  };
  if (useProfiler) {
    profiler = new v8.GCProfiler();
    profiler.start();
  } else {
    const origin = perf.performance.timeOrigin;
    observer = new perf.PerformanceObserver((list) => {
      const used = v8.getHeapStatistics().used_heap_size;
      for (const e of list.getEntries()) {
        const kind = e.detail ? e.detail.kind : e.kind;
        let grp = 0;
        for (const w of windows) if (e.startTime >= w[1] && e.startTime <= w[2]) grp = w[0];
        push(origin + e.startTime + e.duration, kind, e.duration, used, grp);
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  const fs = load('fs');
  const readStatus = () => {   // prom-client's process_*_memory_bytes, and RSS split into anonymous / file-backed / shared
    if (process.platform !== 'linux') return null;
    try {
      const o = {};
      for (const line of fs.readFileSync('/proc/self/status', 'utf8').split('\n')) {
        const m = /^(VmSize|VmRSS|VmData|RssAnon|RssFile|RssShmem|VmSwap):\s+(\d+) kB/.exec(line);
        if (m) o[m[1]] = Number(m[2]) * 1024;
      }
      return o;
    } catch (e) { return null; }
  };
  const state = {
    mode: useProfiler ? 'gcprofiler' : 'observer',
    poll() {
      lastPoll = Date.now();
      rotate();
      const gc = new Array(count * W);
      for (let k = 0; k < count; k++) {
        const i = ((head + k) % MAX) * W;
        for (let f = 0; f < W; f++) gc[k * W + f] = ring[i + f];
      }
      const out = { t: Date.now(), gc, dropped, mem: process.memoryUsage(), heap: v8.getHeapStatistics(),
                    spaces: v8.getHeapSpaceStatistics(), status: readStatus(), uptime: process.uptime() };
      head = 0; count = 0; dropped = 0;
      return out;
    },
    forcedBegin() {
      rotate();
      forced = ++group;
      if (observer) { windows.push([forced, perf.performance.now(), Infinity]); if (windows.length > 8) windows.shift(); }
      return forced;
    },
    forcedEnd() {
      rotate();
      if (observer && windows.length) windows[windows.length - 1][2] = perf.performance.now();
      forced = 0;
      return true;
    },
    uninstall() {
      clearInterval(timer);
      if (profiler) { try { profiler.stop(); } catch (e) { /* already stopped */ } profiler = null; }
      if (observer) { observer.disconnect(); observer = null; }
      if (g[KEY] === state) delete g[KEY];
      return true;
    },
  };
  const timer = setInterval(() => {
    if (Date.now() - lastPoll > IDLE) state.uninstall(); else rotate();
  }, 1000);
  if (timer.unref) timer.unref();
  Object.defineProperty(g, KEY, { value: state, configurable: true, enumerable: false, writable: false });
  return { mode: state.mode, pid: process.pid, version: process.version };
})()
