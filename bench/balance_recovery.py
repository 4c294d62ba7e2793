#!/usr/bin/env python3
"""Balance recovery (issue 4): does `secondear mix` find a balance close to the artist's?

1. The artist's balance, estimated from the "Caesium" stems and the artist's master: each stem
   aligned to the master by cross-correlation, then one gain per stem by least squares of the
   stems against the master (both channels stacked, one gain per stem for both), then each active stem's loudness share = stem loudness + 20 log10 |gain| minus
   the loudness of the fitted sum (the artist's mix before mastering, as far as a linear fit of
   the stems can tell).
2. Scramble: every stem's gain moved by a uniform random amount in [-12, +12] dB (fixed seeds),
   written with sox `vol` as 32-bit float WAV (no clipping), then `secondear mix` on each
   scrambled folder; our share of a stem = loudness of DIR/stems/<name>.wav minus loudness of
   DIR/mix.wav.
3. Error = |our share - artist share| in dB over the active stems, with two baselines: the
   scrambled plain sum (the shares before any mixing) and an equal-loudness mix (every active
   stem at the same loudness).

All loudness figures come from `secondear analyze --json` (integrated, BS.1770-4).

The least squares runs at the master's native 24 kHz (stems resampled with sox): the master is
band-limited by its codec to 12 kHz, so at 48 kHz the stems' energy above 12 kHz (hats,
cymbals) would have nothing to match and would pull their gains down. Pure Python (no numpy on
the machine): the Gram matrix is built with sum(map(mul, a, b)) on float32 arrays, then solved by
Gaussian elimination with partial pivoting.

The genre: with GENRE given, every mix runs with `--genre GENRE` (a user who mixes a song knows
its genre; the corpus README calls "Caesium" electronic pop); without it, `secondear mix` guesses
the genre from the scrambled stems' plain sum. The genre each mix used is printed.

usage: bench/balance_recovery.py [SECONDEAR] [WORK_DIR] [SEEDS] [GENRE]
  defaults: build/bench/secondear, /tmp/balance_recovery, 5 seeds (1..SEEDS), no genre.
"""
import array
import json
import math
import operator
import os
import random
import statistics
import subprocess
import sys

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/bench/secondear"
WORK = sys.argv[2] if len(sys.argv) > 2 else "/tmp/balance_recovery"
SEEDS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
GENRE = sys.argv[4] if len(sys.argv) > 4 else ""
CORPUS = os.environ.get("SECONDEAR_CORPUS", "/work/shared/corpus")
SONG = f"{CORPUS}/multitrack/software_entwicklungskit-caesium"
SCRAMBLE_DB = 12.0
# A stem quieter than this (integrated, LUFS) counts as silent: `break` holds only a reverb tail
# at -64 LUFS (peaks under -48 dBFS), 28 dB under the quietest playing stem (microcosm_effect,
# -37 LUFS), and scrambled down by 12 dB it falls under the BS.1770 absolute gate.
ACTIVE_LUFS = -50.0


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def loudness(paths):
    """Integrated loudness (LUFS, None when gated to nothing) of each file, via secondear."""
    out = json.loads(run(BIN, "analyze", "--json", *paths))
    if isinstance(out, dict):
        out = [out]
    return [o["integrated_lufs"] for o in out]


def read_f32(path, rate_hz):
    """Interleaved stereo float32 samples of PATH at RATE_HZ (sox resamples when needed)."""
    raw = subprocess.run(["sox", "-D", path, "-t", "f32", "-c", "2", "-", "rate", "-v", str(rate_hz)],
                         check=True, capture_output=True).stdout
    a = array.array("f")
    a.frombytes(raw)
    return a


def solve(gram, rhs):
    n = len(rhs)
    m = [row[:] + [rhs[i]] for i, row in enumerate(gram)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def dot(a, b):
    return math.fsum(map(operator.mul, a, b))


def best_lag(master, stem):
    """Frames by which the master lags STEM, by normalised cross-correlation of the mono sums
    over a 20 s window (coarse steps of 3 frames within +-300, i.e. +-12.5 ms, then refined).
    The excerpt's alignment holds to a few milliseconds only (the master is 2.5 to 4 ms late,
    by a different amount for different stems), and at lag 0 that decorrelates everything
    above about 100 Hz, which breaks a waveform fit."""
    m = array.array("f", map(operator.add, master[0::2], master[1::2]))
    x = array.array("f", map(operator.add, stem[0::2], stem[1::2]))
    lo, hi = 24000 * 20, 24000 * 40
    w = m[lo:hi]
    ww = dot(w, w)

    def corr(lag):
        seg = x[lo - lag:hi - lag]
        e = math.sqrt(dot(seg, seg) * ww)
        return dot(w, seg) / e if e > 0 else 0.0

    coarse = max(range(-300, 301, 3), key=lambda lag: abs(corr(lag)))
    return max(range(coarse - 2, coarse + 3), key=lambda lag: abs(corr(lag)))


def shifted(a, lag_frames):
    """Interleaved stereo A delayed by LAG_FRAMES (zeros shifted in), same length."""
    k = 2 * lag_frames
    if k >= 0:
        return array.array("f", bytes(4 * k)) + a[:len(a) - k]
    return a[-k:] + array.array("f", bytes(-4 * k))


def mix_loudness(files_and_gains, out):
    """Loudness of the sum of FILES scaled by linear GAINS (sox -m with a volume on every input,
    so no automatic 1/n scaling), written as float so nothing clips."""
    cmd = ["sox", "-D", "-m"]
    for f, g in files_and_gains:
        cmd += ["-v", repr(g), f]
    run(*cmd, "-e", "floating-point", "-b", "32", out)
    return loudness([out])[0]


def main():
    os.makedirs(WORK, exist_ok=True)
    stem_dir = f"{SONG}/stems"
    names = sorted(f[:-5] for f in os.listdir(stem_dir) if f.endswith(".flac"))
    paths = [f"{stem_dir}/{n}.flac" for n in names]
    stem_lufs = dict(zip(names, loudness(paths)))
    active = [n for n in names if stem_lufs[n] is not None and stem_lufs[n] > ACTIVE_LUFS]

    # 1. The artist's balance.
    master = read_f32(f"{SONG}/reference_master_artist_excerpt.flac", 24000)
    stems = {n: read_f32(f"{stem_dir}/{n}.flac", 24000) for n in active}
    lags = {n: best_lag(master, stems[n]) for n in active}
    stems = {n: shifted(stems[n], lags[n]) for n in active}
    k = len(active)
    gram = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            gram[i][j] = gram[j][i] = dot(stems[active[i]], stems[active[j]])
    rhs = [dot(stems[n], master) for n in active]
    gains = dict(zip(active, solve(gram, rhs)))
    fit_energy = sum(gains[a] * rhs[i] for i, a in enumerate(active))
    master_energy = dot(master, master)
    residual_db = 10 * math.log10((master_energy - fit_energy) / master_energy)
    del stems, master

    master48 = f"{WORK}/reference_master_48k.wav"
    run("sox", "-D", f"{SONG}/reference_master_artist_excerpt.flac", "-e", "floating-point", "-b", "32",
        master48, "rate", "-v", "48000")
    fit_lufs = mix_loudness([(f"{stem_dir}/{n}.flac", gains[n]) for n in active], f"{WORK}/artist_fit.wav")
    master_lufs = loudness([master48])[0]
    artist = {n: stem_lufs[n] + 20 * math.log10(abs(gains[n])) - fit_lufs for n in active}

    # Baseline: equal loudness (every active stem brought to -30 LUFS, then summed).
    eq_lufs = mix_loudness([(f"{stem_dir}/{n}.flac", 10 ** ((-30.0 - stem_lufs[n]) / 20)) for n in active],
                           f"{WORK}/equal_loudness.wav")
    equal = {n: -30.0 - eq_lufs for n in active}

    # 2. Scrambled folders, mixed by secondear.
    ours, scrambled = {}, {}
    offsets, genres = {}, {}
    for seed in range(1, SEEDS + 1):
        rng = random.Random(seed)
        offsets[seed] = {n: rng.uniform(-SCRAMBLE_DB, SCRAMBLE_DB) for n in names}
        d = f"{WORK}/scrambled_{seed}"
        os.makedirs(d, exist_ok=True)
        for n in names:
            run("sox", "-D", f"{stem_dir}/{n}.flac", "-e", "floating-point", "-b", "32", f"{d}/{n}.wav",
                "vol", f"{offsets[seed][n]:.6f}dB")
        sum_lufs = mix_loudness([(f"{d}/{n}.wav", 1.0) for n in names], f"{WORK}/scrambled_sum_{seed}.wav")
        scr = loudness([f"{d}/{n}.wav" for n in active])
        scrambled[seed] = {n: l - sum_lufs for n, l in zip(active, scr)}
        proj = f"{WORK}/proj_{seed}"
        run(BIN, "mix", d, "-o", proj, *(["--genre", GENRE] if GENRE else []))
        with open(f"{proj}/plan.json") as f:
            genres[seed] = json.load(f)["genre"]
        mix_lufs = loudness([f"{proj}/mix.wav"])[0]
        got = loudness([f"{proj}/stems/{n}.wav" for n in active])
        ours[seed] = {n: (l - mix_lufs if l is not None else None) for n, l in zip(active, got)}

    # 3. Errors.
    def errors(shares_by_seed):
        return [abs(s[n] - artist[n]) if s[n] is not None else None for s in shares_by_seed for n in active]

    def med(xs):
        xs = [x for x in xs if x is not None]
        return statistics.median(xs) if xs else float("nan")

    e_ours = errors(ours.values())
    e_scr = errors(scrambled.values())
    e_eq = errors([equal])
    print(f"Genre: {'given, ' + GENRE if GENRE else 'guessed'} (per seed: "
          + ", ".join(f"{s} {g}" for s, g in genres.items()) + ").")
    print("Lag of the master behind each stem (frames at 24 kHz): "
          + ", ".join(f"{n} {lags[n]}" for n in active))
    print(f"Least squares ({k} active stems, both channels, 24 kHz): residual {residual_db:.1f} dB "
          f"relative to the master's energy; fitted sum {fit_lufs:.2f} LUFS, master {master_lufs:.2f} LUFS.")
    print(f"Median absolute share error over {len(active)} active stems x {SEEDS} seeds: secondear mix "
          f"{med(e_ours):.2f} dB, scrambled sum {med(e_scr):.2f} dB, equal loudness {med(e_eq):.2f} dB.")
    print(f"Mean absolute share error: secondear mix {statistics.fmean(x for x in e_ours if x is not None):.2f} dB, "
          f"scrambled sum {statistics.fmean(e_scr):.2f} dB, equal loudness {statistics.fmean(e_eq):.2f} dB.")
    print()
    print("| stem | stem LUFS | LS gain (dB) | artist share (dB) | secondear share, mean (min..max) | "
          "abs error, median | scrambled sum, median abs error | equal loudness, abs error |")
    print("|---|---|---|---|---|---|---|---|")
    for n in active:
        o = [ours[s][n] for s in ours if ours[s][n] is not None]
        e = [abs(x - artist[n]) for x in o]
        print(f"| {n} | {stem_lufs[n]:.1f} | {20 * math.log10(abs(gains[n])):+.1f}"
              f"{' (inverted)' if gains[n] < 0 else ''} | {artist[n]:.1f} | "
              f"{statistics.fmean(o):.1f} ({min(o):.1f}..{max(o):.1f}) | {statistics.median(e):.1f} | "
              f"{statistics.median(abs(scrambled[s][n] - artist[n]) for s in scrambled):.1f} | "
              f"{abs(equal[n] - artist[n]):.1f} |")
    missing = [(s, n) for s in ours for n in active if ours[s][n] is None]
    if missing:
        print(f"\nStems silent in our mix (no share): {missing}")
    print("\nSilent or near-silent stems (excluded):",
          ", ".join(f"{n} ({stem_lufs[n]})" for n in names if n not in active))
    print("Scramble offsets (dB):")
    for seed, o in offsets.items():
        print(f"  seed {seed}: " + ", ".join(f"{n} {o[n]:+.1f}" for n in active))


main()
