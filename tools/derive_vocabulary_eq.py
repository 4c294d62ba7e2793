#!/usr/bin/env python3
"""Derive the compact EQ curves of data/vocabulary.json from the Audealize descriptors.

For every quality whose eq move says {"source": "audealize", "word": W}, this reads the
crowdsourced 40-band curve of W (SocialEQ / Audealize, Pardo lab, Northwestern University;
interactiveaudiolab/audealize-plugin, eqdescriptors.json), samples it at the vocabulary's
eq_band_hz by linear interpolation on a log-frequency axis, and scales it so that its largest
gain is eq_max_db (the move at amount 1.0). It records the contributor count (num), the
agreement, and how well the compact curve, interpolated back onto the 40 source bands, follows
the source (Pearson correlation). Words with fewer than eq_min_contributors are refused: use an
engineering curve for them instead.

Usage: tools/derive_vocabulary_eq.py [KNOWLEDGE_DIR]   (default ../shared/knowledge)
Rewrites data/vocabulary.json in place; only the audealize eq objects change.
"""
import json
import math
import pathlib
import re
import sys

# Band centres of the Audealize curves (the data's README).
SOURCE_BANDS_HZ = [20, 50, 83, 120, 161, 208, 259, 318, 383, 455, 537, 628, 729, 843, 971, 1114,
                   1273, 1452, 1652, 1875, 2126, 2406, 2719, 3070, 3462, 3901, 4392, 4941, 5556,
                   6244, 7014, 7875, 8839, 9917, 11124, 12474, 13984, 15675, 17566, 19682]


def interp_log(xs_hz, ys, x_hz):
    """Linear interpolation of ys over log2(frequency); clamps outside the range."""
    lx = [math.log2(x) for x in xs_hz]
    t = math.log2(x_hz)
    if t <= lx[0]:
        return ys[0]
    if t >= lx[-1]:
        return ys[-1]
    for i in range(len(lx) - 1):
        if lx[i] <= t <= lx[i + 1]:
            w = (t - lx[i]) / (lx[i + 1] - lx[i])
            return ys[i] * (1 - w) + ys[i + 1] * w
    raise AssertionError("unreachable")


def pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    knowledge = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "knowledge"
    descriptors = json.loads((knowledge / "audealize" / "eqdescriptors.json").read_text())
    by_word = {}
    for entry in descriptors:
        if entry["lang"] == "English":
            # Some words occur twice; keep the one with most contributors.
            if entry["word"] not in by_word or entry["num"] > by_word[entry["word"]]["num"]:
                by_word[entry["word"]] = entry

    vocab_path = root / "data" / "vocabulary.json"
    text = vocab_path.read_text()
    vocab = json.loads(text)
    bands_hz = vocab["eq_band_hz"]
    max_db = vocab["eq_max_db"]
    min_num = vocab["eq_min_contributors"]

    def derive(match):
        fields = json.loads(match.group(0))
        word = fields["word"]
        entry = by_word[word]
        if entry["num"] < min_num:
            sys.exit(f"'{word}' has {entry['num']} contributors (< {min_num}); use an engineering curve")
        curve = [interp_log(SOURCE_BANDS_HZ, entry["settings"], f) for f in bands_hz]
        scale = max_db / max(abs(g) for g in curve)
        gains_db = [round(g * scale, 2) + 0.0 for g in curve]  # + 0.0 turns -0.0 into 0.0
        back = [interp_log(bands_hz, gains_db, f) for f in SOURCE_BANDS_HZ]
        out = {"source": "audealize", "word": word}
        for key in ("proxy_for", "why"):
            if key in fields:
                out[key] = fields[key]
        out.update({"num": entry["num"], "agreement": round(entry["agreement"], 3),
                    "fit_correlation": round(pearson(back, entry["settings"]), 3),
                    "gains_db": gains_db})
        print(f"{word:8s} num={entry['num']:4d} agreement={entry['agreement']:.3f} "
              f"fit={out['fit_correlation']:.3f} gains_db={gains_db}")
        return json.dumps(out)

    text = re.sub(r'\{"source": "audealize"[^{}]*\}', derive, text)
    vocab_path.write_text(text)


if __name__ == "__main__":
    main()
