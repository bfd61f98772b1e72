#!/usr/bin/env node
// DEVELOPMENT ONLY: a deterministic calls.csv for trying run.sh before `tsq generate` exists.
// Benchmark figures must come from `tsq generate` data (run.sh's default); this file only has the
// contract's calls columns with plausible values, nothing of the generator's designed findings.
//
//   node dev_gen_calls.mjs OUT_DIR ROWS [--seed 1]
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [outDir, rowsText] = process.argv.slice(2);
const seedIx = process.argv.indexOf('--seed');
let state = BigInt(seedIx > 0 ? process.argv[seedIx + 1] : 1) * 0x9E3779B97F4A7C15n;
if (!outDir || !rowsText) {
  process.stderr.write('usage: node dev_gen_calls.mjs OUT_DIR ROWS [--seed 1]\n');
  process.exit(2);
}
const rows = Number(rowsText);
const MASK = (1n << 64n) - 1n;
function next() { // splitmix64
  state = (state + 0x9E3779B97F4A7C15n) & MASK;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & MASK;
  return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
}
const pick = (xs) => xs[Math.floor(next() * xs.length)];

const OPS = ['移动', '移动', '移动', '联通', '电信', '电信', '广电'];
const REGIONS = ['长春', '吉林', '四平', '辽源', '通化', '白山', '松原', '白城', '延边'];
const RATS = ['4G', '4G', '5G', '5G', '5G', '2G', ''];
const from = Date.parse('2022-07-01T00:00:00+08:00');
const to = Date.parse('2023-01-01T00:00:00+08:00');
const pad = (n) => String(n).padStart(2, '0');

mkdirSync(outDir, { recursive: true });
const out = createWriteStream(join(outDir, 'calls.csv'));
out.write('start_time,caller,callee,operator,region,cell_id,rat,outcome,duration_s,dropped,caller_imei\n');
let buf = '';
// Times rise through the period so the file is ordered; a few rows fall outside it.
const step = (to - from + 2 * 86400e3) / rows;
for (let i = 0; i < rows; ++i) {
  const ms = from - 86400e3 + i * step + Math.floor(next() * step);
  const d = new Date(ms + 8 * 3600e3);
  const t = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
            `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const u = next();
  const outcome = u < 0.001 ? 'congested' : u < 0.004 ? 'network_fail' : u < 0.72 ? 'answered'
    : u < 0.86 ? 'no_answer' : u < 0.91 ? 'busy' : 'rejected';
  const answered = outcome === 'answered';
  const dur = answered ? (next() < 0.02 ? '' : String(Math.floor(5 + next() * 300))) : (next() < 0.3 ? '0' : '');
  const dropped = answered ? (next() < 0.003 ? '1' : '0') : (next() < 0.1 ? '' : '0');
  const op = pick(OPS);
  buf += `${t},138${String(Math.floor(next() * 1e8)).padStart(8, '0')},139${String(Math.floor(next() * 1e8)).padStart(8, '0')},` +
         `${op},${pick(REGIONS)},C${Math.floor(next() * 5000)},${pick(RATS)},${outcome},${dur},${dropped},` +
         `${Math.floor(next() * 1e15)}\n`;
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
    buf = '';
  }
}
out.end(buf);
