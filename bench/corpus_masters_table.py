#!/usr/bin/env python3
"""Markdown table and summary of bench/corpus_masters.sh's results.tsv.

One row per corpus file, one column per target; a cell is "integrated error (LU) / true-peak
margin under the ceiling (dB)" as measured by ffmpeg's ebur128 meter. A cell where the default
master stopped at the limiting bound shows the default figures, then "; --force:" and the forced
ones. Lengths are checked against the input.
"""
import collections
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
head, rows = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
targets = list(dict.fromkeys(r["target"] for r in rows))
files = list(dict.fromkeys(r["file"] for r in rows))
by = collections.defaultdict(dict)
for r in rows:
    r["err"] = float(r["I"]) - float(r["target_lufs"])
    r["margin"] = float(r["ceiling_dbtp"]) - float(r["TP"])
    by[(r["file"], r["target"])][r["mode"]] = r


def cell(r):
    return f"{r['err']:+.2f} / {r['margin']:.2f}"


print("| file | " + " | ".join(targets) + " |")
print("|---|" + "---|" * len(targets))
for f in files:
    cells = []
    for t in targets:
        d = by[(f, t)]
        c = cell(d["default"])
        if "force" in d:
            c = f"**bound** {c}; --force: {cell(d['force'])}"
        cells.append(c)
    print(f"| {f} | " + " | ".join(cells) + " |")

# The delivered master of each pair: the forced one where the default stopped at the bound.
delivered = [d.get("force", d["default"]) for d in by.values()]
defaults = [d["default"] for d in by.values()]
within = [r for r in delivered if abs(r["err"]) <= 0.5]
within01 = [r for r in delivered if abs(r["err"]) <= 0.1]
over = [r for r in delivered + defaults if r["margin"] < 0]
lengths = [r for r in delivered + defaults if r["in_frames"] != r["out_frames"]]
worst = max(delivered, key=lambda r: abs(r["err"]))
bound = [d for d in by.values() if "force" in d]
print()
print(f"Delivered masters (forced where the default stopped at the bound): {len(within)}/{len(delivered)} "
      f"within ±0.5 LU, {len(within01)}/{len(delivered)} within ±0.1 LU; worst error "
      f"{worst['err']:+.2f} LU ({worst['file']}, {worst['target']}, {worst['mode']}).")
print(f"True peak: {len(over)} of {len(delivered) + len(bound)} masters over the ceiling; margin under "
      f"the ceiling from {min(r['margin'] for r in delivered + defaults):.2f} to "
      f"{max(r['margin'] for r in delivered + defaults):.2f} dB.")
print(f"Length: {len(lengths)} of {len(delivered) + len(bound)} masters differ from the input length.")
print(f"Default stopped at the limiting bound: {len(bound)} of {len(by)} "
      f"(default errors {min(d['default']['err'] for d in bound):+.2f} to "
      f"{max(d['default']['err'] for d in bound):+.2f} LU)." if bound else
      "Default stopped at the limiting bound: none.")
for r in over:
    print(f"- over the ceiling: {r['file']} {r['target']} {r['mode']}: TP {r['TP']} dBTP, ceiling {r['ceiling_dbtp']}")
for r in lengths:
    print(f"- length: {r['file']} {r['target']} {r['mode']}: {r['out_frames']} frames, input {r['in_frames']}")
for r in delivered:
    if abs(r["err"]) > 0.5:
        print(f"- outside ±0.5 LU: {r['file']} {r['target']} {r['mode']}: I {r['I']} LUFS, target "
              f"{r['target_lufs']}")
