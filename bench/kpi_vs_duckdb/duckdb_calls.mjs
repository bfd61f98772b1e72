#!/usr/bin/env node
// The calls indicators of docs/indicators.md ("calls — network quality", details 7, 9, 10)
// computed by DuckDB SQL over the same calls files that `tsq kpi` reads, printed in
// the shape of `tsq kpi --format json` so that the two can be compared value by value.
//
//   node duckdb_calls.mjs DIR --period 2022H2 [--threads 2] [--out FILE]
//   node duckdb_calls.mjs DIR --from 2022-07-01 --to 2022-08-01
//
// Reading: DIR's `calls.csv` and `calls-*.csv`, each optionally `.gz` or `.zst`, are one table.
// Columns are found by header name (the header of every file is read first), with explicit
// types: start_time TIMESTAMPTZ (a value without an offset is local time, +08:00 by default),
// duration_s DOUBLE, the others VARCHAR (trimmed; blank = missing). Only valid data is
// supported: a malformed row makes DuckDB fail (tsq would quarantine it), which is loud, never
// silent. A bench helper, not a second implementation of the reader.
import { readdirSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const OUTCOMES = ['answered', 'no_answer', 'busy', 'rejected', 'network_fail', 'congested'];
const RATS = ['2G', '4G', '5G'];
// Breakdowns of Appendix A's calls row; the dimension order is tsq's group order.
const DIMS = ['operator', 'region', 'month', 'rat'];
const BREAKDOWNS = [
  [], ['operator'], ['region'], ['rat'], ['month'],
  ['operator', 'region'], ['operator', 'rat'], ['operator', 'month'],
];

function usage(msg) {
  if (msg) process.stderr.write(`duckdb_calls: ${msg}\n`);
  process.stderr.write(
    'usage: node duckdb_calls.mjs DIR (--period P | --from YYYY-MM-DD --to YYYY-MM-DD)\n' +
    '       [--threads N] [--offset +08:00] [--out FILE] [--quiet] [--plain]\n' +
    '  --plain: a faster reading that holds only for data like tsq generate\'s: start_time\n' +
    '           without offset (TIMESTAMP), dropped a DuckDB BOOLEAN, no blanks to trim\n' +
    '  P: 2022 | 2022H2 | 2022Q4 | 2022-11\n');
  process.exit(2);
}

export function parseArgs(argv) {
  const a = { threads: 2, offset: '+08:00', quiet: false, plain: false };
  for (let i = 0; i < argv.length; ++i) {
    const k = argv[i];
    const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${k} needs a value`));
    if (k === '--period' || k === '-p') a.period = val();
    else if (k === '--from') a.from = val();
    else if (k === '--to') a.to = val();
    else if (k === '--threads') a.threads = Number(val());
    else if (k === '--offset') a.offset = val();
    else if (k === '--out' || k === '-o') a.out = val();
    else if (k === '--quiet') a.quiet = true;
    else if (k === '--plain') a.plain = true;
    else if (k === '--help' || k === '-h') usage();
    else if (k.startsWith('-')) usage(`unknown option ${k}`);
    else if (a.dir === undefined) a.dir = k;
    else usage(`unexpected argument ${k}`);
  }
  if (a.dir === undefined) usage('which data directory?');
  if (!Number.isInteger(a.threads) || a.threads < 1) usage('--threads must be a positive integer');
  return a;
}

// --- periods (local calendar units, as in src/core/period.cpp) -------------------------------

export function parseOffset(s) {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(s);
  if (!m) usage(`--offset ${s}: expected +08:00`);
  const sec = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) * (m[1] === '-' ? -1 : 1);
  return sec;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
const dayText = (y, m, d) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function addMonths(y, m, k) {
  const t = y * 12 + (m - 1) + k;
  return [Math.floor(t / 12), (t % 12) + 1];
}

// Returns {label, fromDay, toDay} with days as YYYY-MM-DD, the range [fromDay, toDay).
export function resolvePeriod(a) {
  if (a.period !== undefined && (a.from !== undefined || a.to !== undefined)) {
    usage('give either --period or --from/--to, not both');
  }
  if (a.from !== undefined || a.to !== undefined) {
    if (a.from === undefined || a.to === undefined) usage('--from and --to go together');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(a.from) || !/^\d{4}-\d{2}-\d{2}$/.test(a.to)) {
      usage('--from/--to are dates YYYY-MM-DD');
    }
    if (a.to <= a.from) usage(`--to ${a.to} must be after --from ${a.from}`);
    return { label: `${a.from}..${a.to}`, fromDay: a.from, toDay: a.to };
  }
  if (a.period === undefined) usage('which period? give --period or --from/--to');
  const p = a.period;
  let m;
  let y;
  let first;
  let months;
  if ((m = /^(\d{4})$/.exec(p))) [y, first, months] = [Number(m[1]), 1, 12];
  else if ((m = /^(\d{4})H([12])$/.exec(p))) [y, first, months] = [Number(m[1]), m[2] === '1' ? 1 : 7, 6];
  else if ((m = /^(\d{4})Q([1-4])$/.exec(p))) [y, first, months] = [Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 3];
  else if ((m = /^(\d{4})-(\d{2})$/.exec(p)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    [y, first, months] = [Number(m[1]), Number(m[2]), 1];
  } else usage(`--period ${p}: expected 2022, 2022H2, 2022Q4 or 2022-11`);
  const [ey, em] = addMonths(y, first, months);
  return { label: p, fromDay: dayText(y, first, 1), toDay: dayText(ey, em, 1) };
}

// --- files ----------------------------------------------------------------------------------

const CALLS_FILE = /^calls(-.+)?\.csv(\.gz|\.zst)?$/;
const CALLS_JSON = /^calls(-.+)?\.(jsonl|ndjson)(\.gz|\.zst)?$/;

export function findCallsFiles(dir) {
  const names = readdirSync(dir).filter((n) => CALLS_FILE.test(n)).sort();
  const json = readdirSync(dir).filter((n) => CALLS_JSON.test(n));
  if (json.length > 0) {
    throw new Error(`${dir}: ${json.join(', ')}: JSON Lines calls files are not supported by ` +
                    'this bench script (CSV only)');
  }
  if (names.length === 0) throw new Error(`${dir}: no calls.csv or calls-*.csv[.gz|.zst] files`);
  return names.map((n) => resolve(join(dir, n)));
}

export const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

// Splits a CSV header line (RFC 4180 quoting) into trimmed names.
function splitHeader(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; ++i) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; ++i; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur.trim()); cur = ''; }
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

// The contract's calls columns and their types; any other column is read as VARCHAR.
const TYPES = {
  start_time: 'TIMESTAMPTZ', caller: 'VARCHAR', callee: 'VARCHAR', operator: 'VARCHAR',
  region: 'VARCHAR', cell_id: 'VARCHAR', rat: 'VARCHAR', outcome: 'VARCHAR',
  duration_s: 'DOUBLE', dropped: 'VARCHAR', caller_imei: 'VARCHAR',
};
const USED = ['start_time', 'operator', 'region', 'rat', 'outcome', 'duration_s', 'dropped'];
const REQUIRED = ['start_time', 'caller', 'callee', 'operator', 'region', 'outcome'];

export async function readHeader(con, path) {
  // The first physical line, whatever the compression: one VARCHAR column, no quoting.
  const r = await con.runAndReadAll(
    `SELECT line FROM read_csv(${sqlString(path)}, header = false, auto_detect = false, ` +
    `delim = '\x01', quote = '', escape = '', strict_mode = false, columns = {'line': 'VARCHAR'}) LIMIT 1`);
  const rows = r.getRowsJS();
  if (rows.length === 0 || rows[0][0] === null) throw new Error(`${path}: empty file, no header`);
  const names = splitHeader(String(rows[0][0]).replace(/^\uFEFF/, '').replace(/\r$/, ''));
  for (const c of REQUIRED) {
    if (!names.includes(c)) throw new Error(`${path}: the header lacks the required column ${c}`);
  }
  return names;
}

// One SELECT of the used columns per distinct header, glued with UNION ALL.
export function scanSql(groups, plain, used = USED) {
  const types = plain ? { ...TYPES, start_time: 'TIMESTAMP', dropped: 'BOOLEAN' } : TYPES;
  const parts = [];
  for (const [header, paths] of groups) {
    const names = JSON.parse(header);
    const columns = names.map((n) => `${sqlString(n)}: ${sqlString(types[n] ?? 'VARCHAR')}`);
    const list = `[${paths.map(sqlString).join(', ')}]`;
    const pick = used.map((c) => (names.includes(c) ? `"${c}"` : `NULL::${types[c]} AS "${c}"`));
    parts.push(
      `SELECT ${pick.join(', ')} FROM read_csv(${list}, header = true, auto_detect = false, ` +
      `delim = ',', quote = '"', escape = '"', columns = {${columns.join(', ')}})`);
  }
  return parts.join('\nUNION ALL\n');
}

// --- the SQL ----------------------------------------------------------------------------------

// Pass 1: one scan of the calls, restricted to the period by start_time, aggregated to the base
// key operator x region x rat x local clock hour (hour number since the epoch, local time).
function baseSql(scan, fromTs, toTs, offsetUs, plain) {
  const v = (c) => (plain ? `"${c}"` : `NULLIF(TRIM("${c}"), '')`);
  const connected = OUTCOMES.slice(0, 4).map(sqlString).join(', ');
  // plain: start_time is a naive local TIMESTAMP and dropped a BOOLEAN, nothing is trimmed.
  const dropped = plain ? 'COALESCE(dropped, false)'
    : "COALESCE(LOWER(TRIM(dropped)) IN ('1', 'true', 'y'), false)";
  const hour = plain ? 'epoch_us(start_time) // 3600000000'
    : `(epoch_us(start_time) + ${offsetUs}) // 3600000000`;
  const ts = (t) => (plain ? `${sqlString(t.slice(0, 19).replace('T', ' '))}::TIMESTAMP`
    : `${sqlString(t)}::TIMESTAMPTZ`);
  return `
CREATE TEMP TABLE base AS
WITH calls AS (
  ${scan}
), typed AS (
  SELECT ${v('operator')} AS operator, ${v('region')} AS region, ${v('rat')} AS rat,
         ${v('outcome')} AS outcome,
         ${dropped} AS dropped,
         duration_s,
         ${hour} AS lh
  FROM calls
  WHERE start_time >= ${ts(fromTs)} AND start_time < ${ts(toTs)}
)
SELECT operator, region, rat, lh,
       count(*) AS attempts,
       count(*) FILTER (WHERE outcome IN (${connected})) AS connected,
       count(*) FILTER (WHERE outcome = 'answered') AS answered,
       count(*) FILTER (WHERE outcome = 'answered' AND dropped) AS dropped,
       count(*) FILTER (WHERE outcome = 'congested') AS congested,
       count(duration_s) FILTER (WHERE outcome = 'answered') AS talk_n,
       sum(duration_s) FILTER (WHERE outcome = 'answered') AS talk_sum
FROM typed
GROUP BY operator, region, rat, lh`;
}

// Pass 2, over the base table: every breakdown (GROUPING SETS) per local day and hour; per group
// and day the busy hour = most attempts, a tie going to the earliest hour (max of
// attempts * 32 + (23 - hour)); then the totals per group. Rows without rat are left out of the
// rat breakdowns only (dropped after grouping, where rat is a key and NULL).
function resultSql() {
  const sets = BREAKDOWNS.map((b) => `(${[...b, 'day', 'hour'].join(', ')})`).join(', ');
  const ratBit = 1 << (DIMS.length - 1 - DIMS.indexOf('rat'));
  const sums = ['attempts', 'connected', 'answered', 'dropped', 'congested', 'talk_n']
    .map((c) => `sum(${c})::BIGINT AS ${c}`).join(', ');
  return `
WITH b AS (
  SELECT operator, region, rat,
         strftime(make_timestamp(lh * 3600000000), '%Y-%m') AS month,
         lh // 24 AS day, lh % 24 AS hour,
         attempts, connected, answered, dropped, congested, talk_n, talk_sum
  FROM base
), h AS (
  SELECT GROUPING(${DIMS.join(', ')}) AS gid, ${DIMS.join(', ')}, day, hour,
         ${sums}, sum(talk_sum) AS talk_sum
  FROM b
  GROUP BY GROUPING SETS (${sets})
), hk AS (
  SELECT * FROM h WHERE NOT ((gid & ${ratBit}) = 0 AND rat IS NULL)
), d AS (
  SELECT gid, ${DIMS.join(', ')}, day,
         ${sums}, sum(talk_sum) AS talk_sum,
         max(attempts * 32 + (23 - hour)) // 32 AS busy_attempts,
         arg_max(connected, attempts * 32 + (23 - hour)) AS busy_connected
  FROM hk
  GROUP BY gid, ${DIMS.join(', ')}, day
)
SELECT gid, ${DIMS.join(', ')}, ${sums}, sum(talk_sum) AS talk_sum,
       sum(busy_attempts)::BIGINT AS busy_attempts, sum(busy_connected)::BIGINT AS busy_connected
FROM d
GROUP BY gid, ${DIMS.join(', ')}
ORDER BY gid DESC, ${DIMS.join(', ')}`;
}

// --- output ------------------------------------------------------------------------------------

export function localTimestamp(day, offsetS) {
  const sign = offsetS < 0 ? '-' : '+';
  const a = Math.abs(offsetS);
  return `${day}T00:00:00${sign}${pad(Math.floor(a / 3600))}:${pad(Math.floor((a % 3600) / 60))}`;
}

function indicatorsOf(row) {
  const g = {};
  for (const d of DIMS) {
    const bit = 1 << (DIMS.length - 1 - DIMS.indexOf(d));
    if ((Number(row.gid) & bit) === 0) g[d] = row[d];
  }
  const N = (x) => Number(x);
  const a = N(row.attempts);
  const rate = (s, n) => (n > 0 ? s / n : null);
  const count = (id, v, n) => ({ id, group: g, value: v, n });
  const talkN = N(row.talk_n);
  return [
    count('calls.attempts', a, a),
    count('calls.connected', N(row.connected), a),
    count('calls.answered', N(row.answered), a),
    count('calls.dropped', N(row.dropped), N(row.answered)),
    count('calls.congested', N(row.congested), a),
    count('calls.busy_hour_attempts', N(row.busy_attempts), a),
    count('calls.connect_rate', rate(N(row.connected), a), a),
    count('calls.connect_rate_busy_hour', rate(N(row.busy_connected), N(row.busy_attempts)),
          N(row.busy_attempts)),
    count('calls.drop_rate', rate(N(row.dropped), N(row.answered)), N(row.answered)),
    count('calls.congestion_rate', rate(N(row.congested), a), a),
    count('calls.answer_rate', rate(N(row.answered), a), a),
    count('calls.avg_talk_s', talkN > 0 ? Number(row.talk_sum) / talkN : null, talkN),
  ];
}

// An in-memory DuckDB on opts.threads threads in the data's time zone, and DIR's calls files
// grouped by header (files with the same header are read by one read_csv).
export async function openCalls(opts, offsetS) {
  const files = findCallsFiles(opts.dir);
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(`SET threads = ${opts.threads}`);
  // Local time without an offset is read in this zone; fixed offsets only (Etc/GMT has the
  // POSIX sign: Etc/GMT-8 is +08:00).
  if (offsetS % 3600 !== 0) throw new Error('--offset: whole hours only');
  const zone = offsetS === 0 ? 'UTC' : `Etc/GMT${offsetS > 0 ? '-' : '+'}${Math.abs(offsetS / 3600)}`;
  await con.run(`SET TimeZone = ${sqlString(zone)}`);
  const groups = new Map();
  for (const f of files) {
    const key = JSON.stringify(await readHeader(con, f));
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(f);
  }
  return { instance, con, files, groups };
}

export async function computeCalls(opts) {
  const period = resolvePeriod(opts);
  const offsetS = parseOffset(opts.offset ?? '+08:00');
  const fromTs = localTimestamp(period.fromDay, offsetS);
  const toTs = localTimestamp(period.toDay, offsetS);
  const t0 = performance.now();
  const { instance, con, files, groups } = await openCalls(opts, offsetS);
  await con.run(baseSql(scanSql(groups, opts.plain), fromTs, toTs, offsetS * 1e6, opts.plain));
  const t1 = performance.now();
  const reader = await con.runAndReadAll(resultSql());
  const rows = reader.getRowObjectsJS();
  const t2 = performance.now();
  const version = (await con.runAndReadAll('SELECT version()')).getRowsJS()[0][0];
  const indicators = rows.flatMap(indicatorsOf);
  con.closeSync?.();
  instance.closeSync?.();
  return {
    engine: `duckdb ${version}${opts.plain ? ' (plain types)' : ''}`,
    period: period.label, from: fromTs, to: toTs,
    files: files.length, threads: opts.threads,
    seconds: { scan: (t1 - t0) / 1000, breakdowns: (t2 - t1) / 1000 },
    indicators,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let result;
  try {
    result = await computeCalls(opts);
  } catch (e) {
    process.stderr.write(`duckdb_calls: ${e.message}\n`);
    process.exit(1);
  }
  const text = `${JSON.stringify(result, null, 1)}\n`;
  if (opts.out) writeFileSync(opts.out, text);
  else process.stdout.write(text);
  if (!opts.quiet) {
    process.stderr.write(`duckdb_calls: ${result.files} file(s), scan ${result.seconds.scan.toFixed(2)} s, ` +
                         `breakdowns ${result.seconds.breakdowns.toFixed(2)} s, ` +
                         `${result.indicators.length} values\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('duckdb_calls.mjs')) {
  await main();
}
