#!/usr/bin/env python3
"""Reference matching (issue 3): how much of the tonal distance to a reference does
`secondear master A --ref B` close?

For every ordered pair (A, B) of corpus mixes: master A with B as the reference, then compare
the 1/3-octave spectra (`secondear analyze --json`, `spectrum_third_octave`) of A and of the
output with B's. Each spectrum is loudness-normalised first (made relative to its mean power over
the bands from 100 Hz to 8 kHz), and the distance is the mean absolute difference in dB over the
bands from 40 Hz to 16 kHz. Reduction = 1 - after / before. The largest per-band deviation before
and after shows where a pair needs more than the matcher's bounds (boost 12 dB, cut 24 dB).

usage: bench/reference_matching.py [SECONDEAR] [WORK_DIR]
  defaults: build/bench/secondear, /tmp/reference_matching.
"""
import itertools
import json
import math
import os
import statistics
import subprocess
import sys

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/bench/secondear"
WORK = sys.argv[2] if len(sys.argv) > 2 else "/tmp/reference_matching"
MIXES = os.environ.get("SECONDEAR_CORPUS", "/work/shared/corpus") + "/mixes"
FILES = [
    "kevin_macleod-vibe_ace.flac",
    "karissa_hobbs-lets_go_fishin-first60s.flac",
    "kevin_macleod-sugar_plum_fairy-first60s.flac",
    "us_army_strings-brahms_hungarian_dance_5.flac",
    "kevin_macleod-krampus_workshop-first60s.flac",
    "kevin_macleod-gold_rush.flac",
]


def spectra(paths):
    out = json.loads(subprocess.run([BIN, "analyze", "--json", *paths], check=True, capture_output=True,
                                    text=True).stdout)
    if isinstance(out, dict):
        out = [out]
    return [{b["hz"]: b["db"] for b in o["spectrum_third_octave"] if b["db"] is not None} for o in out]


def normalised(s):
    ref = [10 ** (db / 10) for hz, db in s.items() if 100 <= hz <= 8000]
    mean_db = 10 * math.log10(sum(ref) / len(ref))
    return {hz: db - mean_db for hz, db in s.items()}


def deviations(a, b):
    return [a[hz] - b[hz] for hz in a if 40 <= hz <= 16000 and hz in b]


def main():
    os.makedirs(WORK, exist_ok=True)
    base = dict(zip(FILES, map(normalised, spectra([f"{MIXES}/{f}" for f in FILES]))))
    rows = []
    for a, b in itertools.permutations(FILES, 2):
        out = f"{WORK}/{a[:-5]}__ref__{b[:-5]}.wav"
        subprocess.run([BIN, "master", f"{MIXES}/{a}", "--ref", f"{MIXES}/{b}", "-o", out, "--report",
                        out[:-4] + ".json"], check=True, capture_output=True)
        after = normalised(spectra([out])[0])
        d0, d1 = deviations(base[a], base[b]), deviations(after, base[b])
        before_db = statistics.fmean(abs(x) for x in d0)
        after_db = statistics.fmean(abs(x) for x in d1)
        rows.append((a, b, before_db, after_db, 1 - after_db / before_db, max(d0, key=abs),
                     max(d1, key=abs), min(d0)))
    print("| mix A (mastered) | reference B | distance before (dB) | after (dB) | reduction | "
          "largest band deviation before (dB) | after (dB) |")
    print("|---|---|---|---|---|---|---|")
    for a, b, d0, d1, red, m0, m1, _ in rows:
        print(f"| {a[:-5]} | {b[:-5]} | {d0:.2f} | {d1:.2f} | {red * 100:.0f}% | {m0:+.1f} | {m1:+.1f} |")
    reds = [r[4] for r in rows]
    hit = sum(r >= 0.6 for r in reds)
    print(f"\n{len(rows)} ordered pairs: reduction median {statistics.median(reds) * 100:.0f}%, "
          f"mean {statistics.fmean(reds) * 100:.0f}%, min {min(reds) * 100:.0f}%, max {max(reds) * 100:.0f}%; "
          f"{hit}/{len(rows)} at or above 60%. Distance before: median "
          f"{statistics.median(r[2] for r in rows):.2f} dB; after: median {statistics.median(r[3] for r in rows):.2f} dB.")
    # A band where A sits more than 12 dB under B needs a boost beyond the matcher's bound.
    for label, group in (("needing a boost over 12 dB", [r for r in rows if r[7] < -12]),
                         ("within the bounds", [r for r in rows if r[7] >= -12])):
        if group:
            print(f"Pairs {label}: {len(group)}, reduction median "
                  f"{statistics.median(r[4] for r in group) * 100:.0f}%, "
                  f"{sum(r[4] >= 0.6 for r in group)}/{len(group)} at or above 60%.")

main()
