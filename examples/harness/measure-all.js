'use strict';
/*
 * harness/measure-all.js: runs every example in ../manifest.json under measure.js and reports how
 * its memory moved, checking each against the manifest's `leaks` claim.
 *
 *   node examples/harness/measure-all.js [--readme[=BLOCK]] [--parallel] [file.js ...]
 *
 * For each example: `node --expose-gc -r harness/measure.js <example>` for LEAKHOUND_MEASURE_MS
 * (default 22000 ms), sampling heapUsed / external after two forced GCs every 2 s. Growth rates are
 * least-squares slopes (MB/min, MB = 2^20 bytes) over the samples taken at t >= 4 s, so start-up
 * (lazy compilation, caches filling) does not count. Verdict: a leaker must grow by at least
 * 2 MB/min (heap + external); a non-leaker must grow by less than 1 MB/min (healthy examples still
 * show up to ~0.6 MB/min of warm-up drift in the first 30 s: compiled code, inline caches). Exits 1 if any
 * example contradicts its claim. With --readme the table replaces the block between the
 * `<!-- measured:begin -->` / `<!-- measured:end -->` markers in examples/README.md (--readme=soak:
 * the `soak:begin` / `soak:end` block). --parallel runs all selected examples at once (for long
 * runs; the examples are light, a few % CPU each). LEAKHOUND_MEASURE_EVERY_MS sets the sampling
 * period (default 2000).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const examplesDir = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(examplesDir, 'manifest.json'), 'utf8'));
const args = process.argv.slice(2);
const readmeArg = args.find((a) => a === '--readme' || a.startsWith('--readme='));
const block = readmeArg && readmeArg.includes('=') ? readmeArg.split('=')[1] : 'measured';
const parallel = args.includes('--parallel');
const only = args.filter((a) => !a.startsWith('--'));
const everyMs = Number(process.env.LEAKHOUND_MEASURE_EVERY_MS || 2000);
const totalMs = Number(process.env.LEAKHOUND_MEASURE_MS || 22000);
const MB = 1024 * 1024;

function slopePerMinute(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) * (p.x - mx);
  }
  return den === 0 ? 0 : (num / den) * 60000 / MB;
}

function runOne(entry) {
  return new Promise((resolve) => {
    const out = path.join(os.tmpdir(), `measure-${process.pid}-${path.basename(entry.file)}.json`);
    const child = spawn(process.execPath,
      ['--expose-gc', '-r', path.join(__dirname, 'measure.js'), path.join(examplesDir, entry.file)],
      {
        env: Object.assign({}, process.env, { LEAKHOUND_MEASURE_OUT: out, LEAKHOUND_MEASURE_MS: String(totalMs) }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), totalMs + everyMs + 20000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      let samples = null;
      try {
        samples = JSON.parse(fs.readFileSync(out, 'utf8')).samples;
        fs.unlinkSync(out);
      } catch (err) {
        samples = null;
      }
      resolve({ code, stdout, stderr, samples });
    });
  });
}

function fmt(bytes) {
  return (bytes / MB).toFixed(1);
}

async function main() {
  const rows = [];
  let mismatches = 0;
  const selected = manifest.filter((entry) => !only.length || only.includes(entry.file));
  const runs = new Map();
  if (parallel) {
    process.stderr.write(`measuring ${selected.length} examples in parallel ...\n`);
    const all = await Promise.all(selected.map(runOne));
    selected.forEach((entry, i) => runs.set(entry, all[i]));
  }
  for (const entry of selected) {
    let r = runs.get(entry);
    if (!r) {
      process.stderr.write(`measuring ${entry.file} ...\n`);
      r = await runOne(entry);
    }
    if (r.code !== 0 || !r.samples) {
      mismatches++;
      rows.push({ entry, error: `exit ${r.code}: ${r.stderr.trim().split('\n').pop()}` });
      continue;
    }
    if (entry.http && !/^listening on http:\/\/127\.0\.0\.1:\d+\/$/m.test(r.stdout)) {
      mismatches++;
      rows.push({ entry, error: 'no "listening on" line on stdout' });
      continue;
    }
    const late = r.samples.filter((s) => s.t >= 4000);
    const heapSlope = slopePerMinute(late.map((s) => ({ x: s.t, y: s.heapUsed })));
    const extSlope = slopePerMinute(late.map((s) => ({ x: s.t, y: s.external })));
    const total = heapSlope + extSlope;
    const ok = entry.leaks ? total >= 2.0 : total < 1.0;
    if (!ok) mismatches++;
    rows.push({ entry, first: late[0], last: late[late.length - 1], heapSlope, extSlope, ok,
      warnings: (r.stderr.match(/\w+Warning/g) || []).filter((w, i, a) => a.indexOf(w) === i) });
  }

  const lines = [];
  lines.push(`Measured with node ${process.version} on ${os.cpus()[0].model} (${os.cpus().length} cores), ` +
    `${new Date().toISOString().slice(0, 10)}; samples every ${everyMs / 1000} s for ${totalMs / 1000} s` +
    `${parallel ? ', all examples running at once' : ', one example at a time'}; "first" is the first sample at t >= 4 s; ` +
    'slopes are fitted over the samples at t >= 4 s (MB = 2^20 bytes).');
  lines.push('');
  lines.push('| example | claim | heapUsed first -> last (MB) | heap growth (MB/min) | external first -> last (MB) | external growth (MB/min) | verdict |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const claim = row.entry.leaks ? `leaks (${row.entry.pattern})` : `flat (${row.entry.pattern})`;
    if (row.error) {
      lines.push(`| ${row.entry.file} | ${claim} | | | | | FAILED: ${row.error} |`);
      continue;
    }
    lines.push(`| ${row.entry.file} | ${claim} | ${fmt(row.first.heapUsed)} -> ${fmt(row.last.heapUsed)} | ` +
      `${row.heapSlope.toFixed(2)} | ${fmt(row.first.external)} -> ${fmt(row.last.external)} | ` +
      `${row.extSlope.toFixed(2)} | ${row.ok ? 'as claimed' : 'CONTRADICTS CLAIM'} |`);
  }
  const table = lines.join('\n');
  process.stdout.write(table + '\n');

  if (readmeArg) {
    const readme = path.join(examplesDir, 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const begin = `<!-- ${block}:begin -->`;
    const end = `<!-- ${block}:end -->`;
    const i = text.indexOf(begin);
    const j = text.indexOf(end);
    if (i < 0 || j < i) {
      process.stderr.write(`measure-all: README.md has no ${block}:begin/end markers\n`);
      process.exit(2);
    }
    fs.writeFileSync(readme, text.slice(0, i + begin.length) + '\n' + table + '\n' + text.slice(j));
  }
  process.exit(mismatches ? 1 : 0);
}

main();
