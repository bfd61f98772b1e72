#!/usr/bin/env python3
"""Quality of `tsq callers` on planted populations, across seeds: precision, recall, F1 and PR-AUC
of the rules and of a trained model, on the plain population and on the overlapping one.

For each seed and each population (`tsq generate --callers plain|overlapping`) it generates a
province, then:

  rules       tsq callers eval DIR --labels DIR/caller_labels.csv (the catalog's rules)
  model       tsq callers eval ... --model M, where M was trained with `tsq callers train` on
              the training seed's province of the same population (and is never evaluated on
              the seed it was trained on)

Every number that placed a call is evaluated; the planted harassers and fraudsters are the
positives, the planted legitimate heavy callers and every ordinary subscriber the negatives.
The table gives per population and scorer the pooled confusion matrix over the evaluation seeds,
precision, recall and F1 from it, and the lowest F1 and the mean PR-AUC of the seeds.

Python 3 standard library only. Example:

  bench/callers_quality.py                                 # scale 1, train on seed 1, seeds 2-6
  bench/callers_quality.py --tsq build/release/src/cli/tsq --scale 0.5 --seeds 3
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"callers_quality: {' '.join(cmd)} failed:\n{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tsq", default="build/release/src/cli/tsq")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--train-seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=5, help="evaluation seeds after the training seed")
    ap.add_argument("--period", default="2022H2")
    ap.add_argument("--markdown", help="also write the table to this file")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tsq-callers-quality-")
    seeds = [a.train_seed + 1 + i for i in range(a.seeds)]
    rows = []
    for population in ["plain", "overlapping"]:
        def generate(seed):
            d = os.path.join(work, f"{population}-{seed}")
            run([a.tsq, "generate", "--out", d, "--scale", str(a.scale), "--seed", str(seed),
                 "--period", a.period, "--callers", population, "--no-progress"])
            return d
        train_dir = generate(a.train_seed)
        model = os.path.join(work, f"{population}.model")
        run([a.tsq, "callers", "train", train_dir, "-p", a.period, "--labels",
             os.path.join(train_dir, "caller_labels.csv"), "--out", model, "--no-progress"])
        results = {"rules": [], "model": []}
        for seed in seeds:
            d = generate(seed)
            labels = os.path.join(d, "caller_labels.csv")
            for scorer, extra in [("rules", []), ("model", ["--model", model])]:
                out = run([a.tsq, "callers", "eval", d, "-p", a.period, "--labels", labels,
                           "--format", "json", "--no-progress"] + extra)
                results[scorer].append(json.loads(out))
            print(f"{population} seed {seed}: rules F1 {results['rules'][-1]['f1']:.3f}, "
                  f"model F1 {results['model'][-1]['f1']:.3f}", file=sys.stderr)
        for scorer, evals in results.items():
            tp = sum(e["confusion"]["tp"] for e in evals)
            fp = sum(e["confusion"]["fp"] for e in evals)
            fn = sum(e["confusion"]["fn"] for e in evals)
            p = tp / (tp + fp) if tp + fp else float("nan")
            r = tp / (tp + fn) if tp + fn else float("nan")
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            rows.append((population, scorer, tp, fp, fn, p, r, f1,
                         min(e["f1"] for e in evals),
                         sum(e["pr_auc"] for e in evals) / len(evals),
                         sum(e["population"] for e in evals) // len(evals)))
    lines = [f"Scale {a.scale}, period {a.period}; model trained on seed {a.train_seed}, "
             f"evaluated on seeds {seeds[0]}-{seeds[-1]} (pooled).", "",
             "| population | scorer | TP | FP | FN | precision | recall | F1 | lowest F1 of a seed "
             "| mean PR-AUC | numbers per province |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]:.3f} | {r[6]:.3f} | "
                     f"{r[7]:.3f} | {r[8]:.3f} | {r[9]:.3f} | {r[10]:,} |")
    print("\n".join(lines))
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
