#!/usr/bin/env node
// Unit check of duckdb_calls.mjs on a small hand-made calls data set with the cases that decide
// exact values: a busy-hour tie (earliest hour wins), rows without rat (left out of the rat
// breakdowns only), `dropped` on calls that were not answered (never counted), answered calls
// without duration_s (outside avg_talk_s), an answered group without any duration (null), rows on
// both sides of the period bounds, timestamps with offsets and fractional seconds, blanks around
// values, a second file with its own column order, no rat column, a BOM, CRLF and quoted fields,
// gzip (and zstd when the `zstd` program is there).
//
// Three checks: hand-computed figures, a naive row-by-row reference for every id and group, and,
// with --tsq PATH, `tsq kpi` on the same files.
//
//   node selftest.mjs [--tsq build/release/src/cli/tsq] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { computeCalls } from './duckdb_calls.mjs';
import { compareIndicators, keyOf, sameValue } from './compare.mjs';

// [start_time text, operator, region, rat, outcome, duration_s, dropped]; rat undefined = the
// row sits in the file without a rat column.
const ROWS_MAIN = [
  ['2022-06-30T16:00:00Z', '移动', '长春', '4G', 'answered', '30', '0'], // 07-01 00:xx local
  ['2022-07-01 09:10:00', '移动', '长春', '4G', 'answered', '60', '1'],
  ['2022-07-01 09:20:00', '移动', '长春', '5G', 'no_answer', '', ''],
  ['2022-07-01 10:05:00', '移动', '长春', '4G', 'busy', '0', '0'],
  ['2022-07-01 10:06:00', '移动', '长春', '4G', 'congested', '', ''],
  ['2022-07-01 11:00:00', '移动', '吉林', '2G', 'network_fail', '', '1'], // dropped, not answered
  ['2022-07-01 08:59:59.9', '移动', '吉林', '5G', 'answered', '', 'TRUE'], // no duration
  [' 2022-07-01 09:30:00 ', ' 联通 ', '长春', '  ', 'rejected', '', ''], // blanks, no rat
  ['2022-08-31 23:59:59.5', '联通', '吉林', '4G', 'answered', '10', '1'],
  ['2022-08-31 23:00:00', '联通', '吉林', '4G', 'congested', '', ''],
  ['2022-08-31 22:00:00', '联通', '吉林', '4G', 'busy', '', '0'],
  ['2022-08-31 22:30:00', '联通', '吉林', '4G', 'no_answer', '', 'n'],
  ['2022-06-30 23:59:59', '移动', '长春', '4G', 'answered', '50', '0'], // before the period
  ['2022-09-01 00:00:00', '移动', '长春', '4G', 'answered', '50', '0'], // at its end: out
  ['2022-08-31T16:00:00Z', '移动', '长春', '4G', 'answered', '50', '0'], // 09-01 00:00 local: out
];
const ROWS_SECOND = [ // calls-0002.csv.gz: no rat column
  ['2022-07-01 21:00:00+08:00', '联通', '长春', undefined, 'answered', '120', 'y'],
  ['2022-07-01T21:30:00+0800', '联通', '长春', undefined, 'answered', '100', 'N'],
];
const ROWS_THIRD = [ // calls-0003.csv.zst
  ['2022-08-15 12:00:00', '电信', '白城', '5G', 'congested', '', ''],
  ['2022-08-15 12:10:00', '电信', '白城', '5G', 'answered', '33.5', 'false'],
];

function writeFixture(dir, withZstd) {
  const main = ['start_time,caller,callee,operator,region,cell_id,rat,outcome,duration_s,dropped,caller_imei'];
  ROWS_MAIN.forEach(([t, op, rg, rat, out, dur, drop], i) => {
    main.push([t, `1380000${1000 + i}`, `1390000${1000 + i}`, op, rg, i % 3 ? `C${i}` : '', rat, out, dur, drop, ''].join(','));
    if (i === 4) main.push(''); // a blank line is not a row
  });
  writeFileSync(join(dir, 'calls.csv'), `${main.join('\n')}\n`);
  const second = ['\uFEFFoutcome,start_time,operator,region,caller,callee,dropped,duration_s,note'];
  ROWS_SECOND.forEach(([t, op, rg, , out, dur, drop], i) => {
    const note = i === 0 ? '"a, ""quoted""\nnote"' : 'plain';
    second.push([out, t, op, rg, `1370000${i}`, `1360000${i}`, drop, dur, note].join(','));
  });
  writeFileSync(join(dir, 'calls-0002.csv.gz'), gzipSync(`${second.join('\r\n')}\r\n`));
  if (!withZstd) return [...ROWS_MAIN, ...ROWS_SECOND];
  const third = ['start_time,caller,callee,operator,region,rat,outcome,duration_s,dropped'];
  ROWS_THIRD.forEach(([t, op, rg, rat, out, dur, drop], i) => {
    third.push([t, `1350000${i}`, `1340000${i}`, op, rg, rat, out, dur, drop].join(','));
  });
  writeFileSync(join(dir, 'calls-0003.csv'), `${third.join('\n')}\n`);
  execFileSync('zstd', ['-q', '--rm', join(dir, 'calls-0003.csv')]);
  return [...ROWS_MAIN, ...ROWS_SECOND, ...ROWS_THIRD];
}

// --- a naive reference, row by row ------------------------------------------------------------

const OFFSET_MS = 8 * 3600 * 1000;
function instant(text) {
  let s = text.trim().replace(' ', 'T');
  if (!/(Z|[+-]\d{2}(:?\d{2})?)$/.test(s)) s += '+08:00';
  s = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new Error(`fixture: bad time ${text}`);
  return ms;
}

function reference(rows, fromMs, toMs) {
  const groups = new Map();
  const dims = ['operator', 'region', 'month', 'rat'];
  const breakdowns = [[], ['operator'], ['region'], ['rat'], ['month'], ['operator', 'region'],
    ['operator', 'rat'], ['operator', 'month']];
  for (const [t, op, rg, rat, out, dur, drop] of rows) {
    const ms = instant(t);
    if (ms < fromMs || ms >= toMs) continue;
    const local = new Date(ms + OFFSET_MS);
    const rec = {
      operator: op.trim(), region: rg.trim(), rat: rat?.trim() || null,
      month: local.toISOString().slice(0, 7), day: local.toISOString().slice(0, 10),
      hour: local.getUTCHours(), outcome: out.trim(),
      duration: dur.trim() === '' ? null : Number(dur),
      dropped: ['1', 'true', 'y'].includes(drop.trim().toLowerCase()),
    };
    for (const b of breakdowns) {
      if (b.some((d) => rec[d] === null)) continue;
      const g = {};
      for (const d of dims) if (b.includes(d)) g[d] = rec[d];
      const k = JSON.stringify(g);
      if (!groups.has(k)) groups.set(k, { g, recs: [] });
      groups.get(k).recs.push(rec);
    }
  }
  const out = [];
  for (const { g, recs } of groups.values()) {
    const isConnected = (r) => ['answered', 'no_answer', 'busy', 'rejected'].includes(r.outcome);
    const answered = recs.filter((r) => r.outcome === 'answered');
    const connected = recs.filter(isConnected).length;
    const dropped = answered.filter((r) => r.dropped).length;
    const congested = recs.filter((r) => r.outcome === 'congested').length;
    const talk = answered.filter((r) => r.duration !== null);
    let busyA = 0;
    let busyC = 0;
    for (const day of new Set(recs.map((r) => r.day))) {
      let best = -1;
      let bestN = 0;
      for (let h = 0; h < 24; ++h) {
        const n = recs.filter((r) => r.day === day && r.hour === h).length;
        if (n > bestN) { best = h; bestN = n; } // strict: a tie keeps the earlier hour
      }
      busyA += bestN;
      busyC += recs.filter((r) => r.day === day && r.hour === best && isConnected(r)).length;
    }
    const n = recs.length;
    const rate = (s, d) => (d > 0 ? s / d : null);
    const e = (id, value, nn) => ({ id, group: g, value, n: nn });
    out.push(
      e('calls.attempts', n, n), e('calls.connected', connected, n),
      e('calls.answered', answered.length, n), e('calls.dropped', dropped, answered.length),
      e('calls.congested', congested, n), e('calls.busy_hour_attempts', busyA, n),
      e('calls.connect_rate', rate(connected, n), n),
      e('calls.connect_rate_busy_hour', rate(busyC, busyA), busyA),
      e('calls.drop_rate', rate(dropped, answered.length), answered.length),
      e('calls.congestion_rate', rate(congested, n), n),
      e('calls.answer_rate', rate(answered.length, n), n),
      e('calls.avg_talk_s', talk.length ? talk.reduce((s, r) => s + r.duration, 0) / talk.length : null,
        talk.length));
  }
  return { indicators: out };
}

// --- checks ------------------------------------------------------------------------------------

let failures = 0;
function check(cond, what) {
  if (!cond) {
    ++failures;
    process.stderr.write(`FAIL: ${what}\n`);
  }
}

function expectValue(doc, id, group, value, n, label) {
  const k = keyOf({ id, group });
  const e = doc.indicators.find((x) => keyOf(x) === k);
  check(e !== undefined, `${label}: ${k} missing`);
  if (e === undefined) return;
  check(sameValue(e.value, value), `${label}: ${k} value ${e.value}, expected ${value}`);
  check(Number(e.n) === n, `${label}: ${k} n ${e.n}, expected ${n}`);
}

function absent(doc, id, group, label) {
  const k = keyOf({ id, group });
  check(!doc.indicators.some((x) => keyOf(x) === k), `${label}: ${k} should be absent`);
}

function handChecks(doc, label) {
  const M = '移动';
  const U = '联通';
  // In the period: 14 rows of calls.csv + 2 of calls-0002 (+ 2 of calls-0003 with zstd).
  const z = doc.indicators.some((x) => x.group.operator === '电信');
  expectValue(doc, 'calls.attempts', {}, z ? 16 : 14, z ? 16 : 14, label);
  // dropped: rows 2, 7 (TRUE), 9 (y), 11; not the network_fail row, not 'N'.
  expectValue(doc, 'calls.dropped', {}, 4, z ? 7 : 6, label);
  expectValue(doc, 'calls.answered', {}, z ? 7 : 6, z ? 16 : 14, label);
  // avg talk over answered rows with a duration: (30 + 60 + 120 + 100 + 10 [+ 33.5]) / 5 [6].
  expectValue(doc, 'calls.avg_talk_s', {}, z ? 353.5 / 6 : 64, z ? 6 : 5, label);
  // 移动 on 07-01: hours 9 and 10 both have 2 attempts; 9 wins (2 connected, not 1).
  expectValue(doc, 'calls.busy_hour_attempts', { operator: M }, 2, 7, label);
  expectValue(doc, 'calls.connect_rate_busy_hour', { operator: M }, 1, 2, label);
  expectValue(doc, 'calls.connect_rate_busy_hour', { operator: M, region: '长春' }, 1, 2, label);
  // 联通 吉林 on 08-31: hours 22 and 23 both have 2; 22 wins (2 connected, not 1).
  expectValue(doc, 'calls.connect_rate_busy_hour', { operator: U, region: '吉林' }, 1, 2, label);
  expectValue(doc, 'calls.busy_hour_attempts', { operator: U }, 4, 7, label); // 21 h + 22 h
  expectValue(doc, 'calls.connect_rate', { operator: U }, 6 / 7, 7, label);
  // Rows without rat: out of the rat breakdowns, in all others.
  expectValue(doc, 'calls.attempts', { rat: '4G' }, 8, 8, label);
  expectValue(doc, 'calls.attempts', { rat: '2G' }, 1, 1, label);
  expectValue(doc, 'calls.attempts', { operator: U, rat: '4G' }, 4, 4, label);
  absent(doc, 'calls.attempts', { rat: '' }, label);
  absent(doc, 'calls.attempts', { operator: U, rat: '' }, label);
  expectValue(doc, 'calls.attempts', { operator: U, region: '长春' }, 3, 3, label);
  // Empty denominators give null.
  expectValue(doc, 'calls.drop_rate', { rat: '2G' }, null, 0, label);
  expectValue(doc, 'calls.avg_talk_s', { rat: '2G' }, null, 0, label);
  expectValue(doc, 'calls.avg_talk_s', { operator: M, region: '吉林' }, null, 0, label);
  expectValue(doc, 'calls.drop_rate', { operator: M, region: '吉林' }, 1, 1, label);
  // Months by local time: 06-30T16:00Z is July; 08-31 23:59:59.5 is August.
  expectValue(doc, 'calls.attempts', { month: '2022-07' }, 10, 10, label);
  expectValue(doc, 'calls.attempts', { operator: U, month: '2022-08' }, 4, 4, label);
  absent(doc, 'calls.attempts', { month: '2022-09' }, label);
  absent(doc, 'calls.attempts', { month: '2022-06' }, label);
}

async function main() {
  const args = process.argv.slice(2);
  const tsq = args.includes('--tsq') ? args[args.indexOf('--tsq') + 1] : undefined;
  const keep = args.includes('--keep');
  const dir = mkdtempSync(join(tmpdir(), 'tsq-calls-selftest-'));
  const withZstd = spawnSync('zstd', ['--version']).status === 0;
  const rows = writeFixture(dir, withZstd);
  try {
    const duck = await computeCalls({ dir, from: '2022-07-01', to: '2022-09-01', threads: 2 });
    handChecks(duck, 'duckdb');
    const ref = reference(rows, Date.parse('2022-07-01T00:00:00+08:00'), Date.parse('2022-09-01T00:00:00+08:00'));
    handChecks(ref, 'reference');
    const c = compareIndicators(duck, ref, { labelA: 'duckdb', labelB: 'reference' });
    for (const m of c.mismatches) check(false, m);
    let line = `selftest: ${c.compared} values compared, duckdb vs reference`;
    if (tsq) {
      const r = spawnSync(tsq, ['kpi', dir, '--from', '2022-07-01', '--to', '2022-09-01', '--id', 'calls.*', '--format', 'json',
        '--threads', '2', '--no-progress'], { encoding: 'utf8' });
      if (r.status !== 0) {
        check(false, `tsq kpi exited ${r.status}: ${r.stderr}`);
      } else {
        const doc = JSON.parse(r.stdout);
        handChecks(doc, 'tsq');
        const t = compareIndicators(doc, duck, { labelA: 'tsq', labelB: 'duckdb' });
        for (const m of t.mismatches) check(false, m);
        line += ' vs tsq';
      }
    }
    if (failures === 0) line += ': all equal';
    process.stdout.write(`${line}${withZstd ? '' : ' (no zstd program: the .zst file was left out)'}\n`);
  } finally {
    if (keep) process.stdout.write(`selftest: data kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
  if (failures > 0) {
    process.stderr.write(`selftest: ${failures} failure(s)\n`);
    process.exit(1);
  }
}

await main();
