#!/usr/bin/env node
// Reads the `/usr/bin/time -v` files of run.sh and prints the side-by-side table (Markdown).
//   node summarize.mjs RESULTS_DIR REPEAT WARMUP
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [res, repeatText, warmup] = process.argv.slice(2);
const repeat = Number(repeatText);

function parseTime(path) {
  const t = readFileSync(path, 'utf8');
  const field = (name) => {
    const m = new RegExp(`${name}: (.*)`).exec(t);
    if (!m) throw new Error(`${path}: no "${name}"`);
    return m[1].trim();
  };
  const wallText = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
  const wall = wallText.split(':').reduce((acc, x) => acc * 60 + Number(x), 0);
  return {
    wall,
    cpu: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')),
    rssMb: Number(field('Maximum resident set size \\(kbytes\\)')) / 1024,
    exit: Number(field('Exit status')),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const data = Object.fromEntries(readFileSync(join(res, 'data.tsv'), 'utf8').trim().split('\n')
  .map((l) => l.split('\t')).map(([k, v]) => [k, Number(v)]));
const MB = 1e6;

const variants = [
  ['tsq_calls', 'tsq kpi --id calls.* (calls files only)'],
  ['duckdb', 'DuckDB (node, same calls files)'],
  ['duckdb_plain', 'DuckDB --plain (reading valid for generated data only)'],
  ['tsq_all', 'tsq kpi, all indicators, whole data set'],
  ['scan_floor', 'scan floor (read the calls files, count line breaks)'],
].filter(([v]) => existsSync(join(res, `${v}-1.time`)));

const stats = {};
for (const [v] of variants) {
  const runs = [];
  for (let r = 1; r <= repeat; ++r) runs.push(parseTime(join(res, `${v}-${r}.time`)));
  stats[v] = {
    runs,
    wall: median(runs.map((x) => x.wall)),
    cpu: median(runs.map((x) => x.cpu)),
    rssMb: median(runs.map((x) => x.rssMb)),
  };
}

const duck = stats.duckdb;
const f = (x, d = 2) => x.toFixed(d);
const lines = [];
lines.push(`calls data: ${data.rows.toLocaleString('en')} rows, ${f(data.disk_bytes / MB, 1)} MB on disk` +
           (data.text_bytes !== data.disk_bytes ? ` (${f(data.text_bytes / MB, 1)} MB of text)` : '') +
           `; whole data set ${f(data.all_bytes / MB, 1)} MB`);
lines.push(`timed runs: median of ${repeat}; warm-up: ${warmup === 'runs' ? 'tsq (over everything it reads) and DuckDB each run once untimed first (warm page cache)' : 'none'}`);
lines.push('');
lines.push('| variant | wall s | CPU s | peak RSS MB | calls rows/s | MB/s | speed-up vs DuckDB | DuckDB RSS ÷ this |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [v, label] of variants) {
  const s = stats[v];
  const bytes = v === 'tsq_all' ? data.all_bytes : data.disk_bytes;
  lines.push(`| ${label} | ${f(s.wall)} | ${f(s.cpu)} | ${f(s.rssMb, 0)} | ` +
             `${v === 'tsq_all' ? '—' : `${f(data.rows / s.wall / 1e6, 2)} M`} | ` +
             `${f(bytes / MB / s.wall, 0)}${v === 'tsq_all' ? ' (all files)' : ''} | ` +
             `${duck ? `${f(duck.wall / s.wall)}×` : '—'} | ${duck ? `${f(duck.rssMb / s.rssMb)}×` : '—'} |`);
}
lines.push('');
for (const [v, label] of variants) {
  lines.push(`${label}: wall ${stats[v].runs.map((x) => f(x.wall)).join(', ')} s; ` +
             `peak RSS ${stats[v].runs.map((x) => f(x.rssMb, 0)).join(', ')} MB`);
}
if (duck && stats.tsq_calls) {
  const sp = duck.wall / stats.tsq_calls.wall;
  const mem = duck.rssMb / stats.tsq_calls.rssMb;
  lines.push('');
  lines.push(`target: tsq ≥ 3× faster than DuckDB wall-clock: ${f(sp)}× → ${sp >= 3 ? 'MET' : 'MISSED'}; ` +
             `less peak memory: ${f(stats.tsq_calls.rssMb, 0)} vs ${f(duck.rssMb, 0)} MB → ` +
             `${mem > 1 ? 'MET' : 'MISSED'}`);
  if (stats.duckdb_plain) {
    const spp = stats.duckdb_plain.wall / stats.tsq_calls.wall;
    lines.push(`against DuckDB --plain: ${f(spp)}× (${spp >= 3 ? 'MET' : 'below'} 3×), ` +
               `RSS ${f(stats.duckdb_plain.rssMb, 0)} MB`);
  }
  if (stats.scan_floor) {
    const floor = stats.tsq_calls.wall / stats.scan_floor.wall;
    lines.push(`against the scan floor: tsq takes ${f(floor)}× its time ` +
               `(target within 2×: ${floor <= 2 ? 'MET' : 'MISSED'})`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
