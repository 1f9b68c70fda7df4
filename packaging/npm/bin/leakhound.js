#!/usr/bin/env node
'use strict';
/*
 * leakhound's npm launcher: finds Java 17 or newer (JAVA_HOME, then PATH), sizes the Java heap as the
 * repository's ./leakhound script does, and runs the bundled jar with the arguments, stdin/stdout/stderr,
 * signals and exit code passed through. Without a suitable Java it says what to install and exits 2.
 *   LEAKHOUND_HEAP=8g  fixes the heap size;  JAVA_OPTS="..."  adds JVM options.
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const MIN_JAVA = 17;
const HOME = path.resolve(__dirname, '..');
const JAR = path.join(HOME, 'lib', 'leakhound.jar');
// As ./leakhound: G1 with a heap fixed at its size for snapshot reading, C1 only (see the script's comments).
const JVM_FLAGS = ['-XX:+UseG1GC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Xshare:auto'];

function fail(lines) {
  process.stderr.write(lines.map((l) => `leakhound: ${l}\n`).join(''));
  process.exit(2);
}

/** The major version of a java executable: from its runtime's release file, else from `java -version`; null if it does not run. */
function javaMajor(java) {
  try {
    const release = path.join(path.dirname(path.dirname(fs.realpathSync(java))), 'release');
    const m = /^JAVA_VERSION="([^"]+)"/m.exec(fs.readFileSync(release, 'utf8'));
    if (m) return major(m[1]);
  } catch (e) {
    // no release file next to it: ask the executable
  }
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 30000 });
  if (r.error || r.status !== 0) return null;
  const m = /version "([^"]+)"/.exec(`${r.stderr}${r.stdout}`);
  return m ? major(m[1]) : null;
}

/** 17 from "17.0.15", 8 from "1.8.0_392". */
function major(version) {
  const parts = version.split(/[.+_-]/).map((p) => parseInt(p, 10));
  return parts[0] === 1 ? parts[1] : parts[0];
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch (e) {
    return false;
  }
}

/** The first Java 17+ of JAVA_HOME and PATH; fails with what was found and what to install. */
function findJava() {
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  const candidates = [];
  if (process.env.JAVA_HOME) candidates.push(path.join(process.env.JAVA_HOME, 'bin', exe));
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir) candidates.push(path.join(dir, exe));
  }
  const seen = [];
  for (const java of candidates) {
    if (!isFile(java) || seen.some((s) => s.java === java)) continue;
    const v = javaMajor(java);
    if (v !== null && v >= MIN_JAVA) return java;
    seen.push({ java, v });
  }
  const found = seen.length === 0
    ? `no java in ${process.env.JAVA_HOME ? 'JAVA_HOME or ' : ''}PATH`
    : `found ${seen.map((s) => (s.v === null ? `${s.java} (does not run)` : `Java ${s.v} at ${s.java}`)).join(', ')}`;
  fail([
    `needs Java ${MIN_JAVA} or newer: ${found}.`,
    `Install a Java ${MIN_JAVA}+ runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17; `
      + 'others: https://adoptium.net) and put it on PATH or set JAVA_HOME.',
  ]);
  return null;
}

/**
 * Heap for reading the named snapshot files: about 2.2x their bytes (gzip counts 8x); find-leaks, which holds
 * the newest and one other at a time, 1.5x the two largest; at least 1 GiB, at most 80% of memory (as ./leakhound).
 */
function heapMb(args) {
  let total = 0;
  let first = 0;
  let second = 0;
  for (const a of args) {
    if (!isFile(a)) continue;
    let size = fs.statSync(a).size;
    if (a.endsWith('.gz')) size *= 8;
    total += size;
    if (size > first) {
      second = first;
      first = size;
    } else if (size > second) {
      second = size;
    }
  }
  let mb = Math.floor((total * 22) / 10 / 1048576) + 512;
  if (args[0] === 'find-leaks') mb = Math.floor(((first + second) * 15) / 10 / 1048576) + 512;
  const cap = Math.floor((os.totalmem() * 8) / 10 / 1048576);
  if (mb < 1024) mb = 1024;
  if (mb > cap) mb = cap;
  return mb;
}

/** -Xmx (and -Xms where the script fixes the heap), as ./leakhound chooses them for the command. */
function heapFlags(args) {
  let heap;
  let fixed = true;
  switch (args[0]) {
    case 'snapshot':
    case 'watch':
    case 'redact':
      heap = '256m';
      fixed = false;
      break;
    case 'hunt':
    case 'demo':
    case 'mcp':
      heap = `${Math.floor((os.totalmem() * 6) / 10 / 1048576)}m`;
      fixed = false;
      break;
    case 'info':   // reads a header only, but is told the heap analyze would get, to say whether it is enough
      heap = `${heapMb(args)}m`;
      fixed = false;
      break;
    default:
      heap = `${heapMb(args)}m`;
  }
  heap = process.env.LEAKHOUND_HEAP || heap;
  return fixed ? [`-Xmx${heap}`, `-Xms${heap}`] : [`-Xmx${heap}`];
}

function main() {
  const args = process.argv.slice(2);
  if (!isFile(JAR)) fail([`the package is incomplete: ${JAR} is missing; reinstall leakhound.`]);
  const java = findJava();
  const javaOpts = (process.env.JAVA_OPTS || '').split(/\s+/).filter((s) => s.length > 0);
  const child = spawn(java, [...heapFlags(args), ...JVM_FLAGS, `-Dleakhound.home=${HOME}`, ...javaOpts, '-jar', JAR, ...args],
    { stdio: 'inherit' });
  // A signal to this launcher is passed on to Java, which cleans up (ends what it started, deletes
  // temporary snapshots) and exits; the launcher then ends the way Java did.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
  const forward = (sig) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  for (const sig of signals) process.on(sig, forward);
  child.on('error', (e) => fail([`cannot run ${java}: ${e.message}`]));
  child.on('exit', (code, signal) => {
    for (const sig of signals) process.removeListener(sig, forward);
    if (signal) {
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 2 : code);
  });
}

main();
