#!/usr/bin/env node
// Compares two `tsq kpi --format json`-shaped files value by value: the same ids and groups, each
// value equal within a relative 1e-9 (null only against null) and the same n. Only ids starting
// with the prefix (default `calls.`) are compared. Exit 0 when equal, 1 on any mismatch (each
// printed), 2 on a usage or read error.
//
//   node compare.mjs A.json B.json [--prefix calls.] [--label-a tsq] [--label-b duckdb]
import { readFileSync } from 'node:fs';

export const REL_TOL = 1e-9;

function groupKey(g) {
  return Object.keys(g ?? {}).sort().map((k) => `${k}=${g[k]}`).join(',');
}

export function keyOf(e) {
  return `${e.id} {${groupKey(e.group)}}`;
}

export function sameValue(a, b) {
  if (a === null || b === null || a === undefined || b === undefined) return a == null && b == null;
  if (a === b) return true;
  return Math.abs(a - b) <= REL_TOL * Math.max(Math.abs(a), Math.abs(b));
}

// Returns {compared, mismatches: [text]}.
export function compareIndicators(aDoc, bDoc, { prefix = 'calls.', labelA = 'A', labelB = 'B' } = {}) {
  const index = (doc, label, problems) => {
    const m = new Map();
    for (const e of doc.indicators ?? []) {
      if (!e.id.startsWith(prefix)) continue;
      const k = keyOf(e);
      if (m.has(k)) problems.push(`${label}: ${k} printed twice`);
      m.set(k, e);
    }
    return m;
  };
  const mismatches = [];
  const a = index(aDoc, labelA, mismatches);
  const b = index(bDoc, labelB, mismatches);
  for (const [k, ea] of a) {
    const eb = b.get(k);
    if (eb === undefined) {
      mismatches.push(`${k}: only in ${labelA} (value ${ea.value}, n ${ea.n})`);
      continue;
    }
    if (!sameValue(ea.value, eb.value)) {
      mismatches.push(`${k}: value ${labelA} ${ea.value} != ${labelB} ${eb.value}`);
    }
    if (Number(ea.n) !== Number(eb.n)) mismatches.push(`${k}: n ${labelA} ${ea.n} != ${labelB} ${eb.n}`);
  }
  for (const [k, eb] of b) {
    if (!a.has(k)) mismatches.push(`${k}: only in ${labelB} (value ${eb.value}, n ${eb.n})`);
  }
  return { compared: a.size, mismatches };
}

function main() {
  const args = process.argv.slice(2);
  const files = [];
  const o = { prefix: 'calls.', labelA: 'A', labelB: 'B' };
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--prefix') o.prefix = args[++i];
    else if (args[i] === '--label-a') o.labelA = args[++i];
    else if (args[i] === '--label-b') o.labelB = args[++i];
    else files.push(args[i]);
  }
  if (files.length !== 2) {
    process.stderr.write('usage: node compare.mjs A.json B.json [--prefix calls.] [--label-a X] [--label-b Y]\n');
    process.exit(2);
  }
  let docs;
  try {
    docs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  } catch (e) {
    process.stderr.write(`compare: ${e.message}\n`);
    process.exit(2);
  }
  const { compared, mismatches } = compareIndicators(docs[0], docs[1], o);
  if (compared === 0) {
    process.stderr.write(`compare: no ${o.prefix}* values in ${files[0]}\n`);
    process.exit(1);
  }
  if (mismatches.length > 0) {
    process.stderr.write(`compare: MISMATCH: ${mismatches.length} difference(s) between ` +
                         `${o.labelA} (${files[0]}) and ${o.labelB} (${files[1]}):\n`);
    for (const m of mismatches.slice(0, 200)) process.stderr.write(`  ${m}\n`);
    if (mismatches.length > 200) process.stderr.write(`  ... and ${mismatches.length - 200} more\n`);
    process.exit(1);
  }
  process.stdout.write(`compare: ${compared} ${o.prefix}* values equal (ids, groups, n; values ` +
                       `within ${REL_TOL} relative)\n`);
}

if (process.argv[1]?.endsWith('compare.mjs')) main();
