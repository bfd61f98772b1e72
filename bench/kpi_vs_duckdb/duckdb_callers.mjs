#!/usr/bin/env node
// The per-caller aggregates behind `tsq callers` computed by DuckDB SQL over the same calls
// files, for the side-by-side benchmark (bench/README.md, "tsq callers vs DuckDB"): per calling
// number with at least 20 calls in the period, its calls, calls received, distinct callees,
// active local days, answered calls, answered calls under 10 s, distinct devices and cells, and
// how many of its callees called it back. Written as CSV (caller first), one row per number.
//
//   node duckdb_callers.mjs DIR --period 2022H2 [--threads 2] [--out FILE] [--min-calls 20]
import { writeFileSync } from 'node:fs';
import {
  localTimestamp, openCalls, parseArgs, parseOffset, resolvePeriod, scanSql, sqlString,
} from './duckdb_calls.mjs';

const USED = ['start_time', 'caller', 'callee', 'outcome', 'duration_s', 'caller_imei', 'cell_id'];
export const COLUMNS = ['calls', 'calls_in', 'distinct_callees', 'active_days', 'answered',
  'short_answered', 'imeis', 'cells', 'callees_who_called_back'];

function callersSql(scan, fromTs, toTs, minCalls) {
  const v = (c) => `NULLIF(TRIM("${c}"), '')`;
  return `
WITH c AS (
  SELECT ${v('caller')} AS caller, ${v('callee')} AS callee, ${v('outcome')} AS outcome,
         duration_s, ${v('caller_imei')} AS imei, ${v('cell_id')} AS cell,
         CAST(start_time AS DATE) AS day
  FROM (${scan})
  WHERE start_time >= ${sqlString(fromTs)}::TIMESTAMPTZ AND start_time < ${sqlString(toTs)}::TIMESTAMPTZ
), out AS (
  SELECT caller, count(*) AS calls, count(DISTINCT callee) AS distinct_callees,
         count(DISTINCT day) AS active_days,
         count(*) FILTER (WHERE outcome = 'answered') AS answered,
         count(*) FILTER (WHERE outcome = 'answered' AND duration_s < 10) AS short_answered,
         count(DISTINCT imei) AS imeis, count(DISTINCT cell) AS cells
  FROM c GROUP BY caller HAVING count(*) >= ${minCalls}
), received AS (
  SELECT callee AS number, count(*) AS calls_in FROM c GROUP BY callee
), pairs AS (
  SELECT DISTINCT caller, callee FROM c
), back AS (
  SELECT p.caller, count(*) AS callees_who_called_back
  FROM pairs p JOIN pairs q ON q.caller = p.callee AND q.callee = p.caller
  GROUP BY p.caller
)
SELECT out.caller, out.calls, COALESCE(received.calls_in, 0) AS calls_in, out.distinct_callees,
       out.active_days, out.answered, out.short_answered, out.imeis, out.cells,
       COALESCE(back.callees_who_called_back, 0) AS callees_who_called_back
FROM out LEFT JOIN received ON received.number = out.caller
         LEFT JOIN back ON back.caller = out.caller
ORDER BY out.caller`;
}

async function main() {
  const argv = process.argv.slice(2);
  let minCalls = 20;
  const i = argv.indexOf('--min-calls');
  if (i >= 0) {
    minCalls = Number(argv[i + 1]);
    argv.splice(i, 2);
  }
  const opts = parseArgs(argv);
  const period = resolvePeriod(opts);
  const offsetS = parseOffset(opts.offset ?? '+08:00');
  const fromTs = localTimestamp(period.fromDay, offsetS);
  const toTs = localTimestamp(period.toDay, offsetS);
  const t0 = performance.now();
  const { con, files, groups } = await openCalls(opts, offsetS);
  const reader = await con.runAndReadAll(
    callersSql(scanSql(groups, false, USED), fromTs, toTs, minCalls));
  const rows = reader.getRowsJS();
  const seconds = (performance.now() - t0) / 1000;
  let text = `caller,${COLUMNS.join(',')}\n`;
  for (const r of rows) text += `${r.map((x) => String(x)).join(',')}\n`;
  if (opts.out) writeFileSync(opts.out, text);
  else process.stdout.write(text);
  if (!opts.quiet) {
    process.stderr.write(`duckdb_callers: ${files.length} file(s), ${rows.length} callers with ` +
                         `at least ${minCalls} calls, ${seconds.toFixed(2)} s\n`);
  }
}

await main();
