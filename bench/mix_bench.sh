#!/usr/bin/env bash
# Mix speed and memory (issue 4): `secondear mix` of 16 four-minute 44.1 kHz stems with 1 and 2
# threads, next to `sox -m` of the same stems (a plain sum: the floor of reading, summing and
# writing 16 files), then determinism: `secondear render plan.json` must rewrite mix.wav and
# master.wav byte for byte, and --threads 1 and 2 must write identical files.
#
# usage: bench/mix_bench.sh [SECONDEAR] [WORK_DIR] [RUNS]
#   defaults: build/bench/secondear, /tmp/mix_bench, 3 runs (best of RUNS in the table).
# Stems: the 16 Caesium stems (48 kHz, 60 s) looped four times and resampled to 44.1 kHz 24-bit
# with sox, in WORK_DIR/stems16 (six of them are silent or nearly, as in the song), and
# WORK_DIR/stems16_active where those six are replaced by copies of six active stems started
# 15 s later in the loop (so every stem has content, none is sample-identical to another).
set -euo pipefail

bin=${1:-build/bench/secondear}
work=${2:-/tmp/mix_bench}
runs=${3:-3}
src=${SECONDEAR_CORPUS:-/work/shared/corpus}/multitrack/software_entwicklungskit-caesium/stems
silent=(break build fill_scratch garage_beat hats scratch_hats)
doubles=(kick minilogue_synth vox_lead bgvox_alt bgvox_harmony microcosm_effect)

if [[ ! -d $work/stems16 ]]; then
    mkdir -p "$work/stems16.tmp" "$work/stems16_active.tmp"
    for f in "$src"/*.flac; do
        n=$(basename "$f" .flac)
        sox -D "$f" -b 24 "$work/stems16.tmp/$n.wav" repeat 3 rate -v 44100
    done
    cp "$work"/stems16.tmp/*.wav "$work/stems16_active.tmp/"
    for i in "${!silent[@]}"; do
        rm "$work/stems16_active.tmp/${silent[$i]}.wav"
        sox -D "$src/${doubles[$i]}.flac" -b 24 "$work/stems16_active.tmp/${doubles[$i]}_b.wav" \
            repeat 4 trim 15 240 rate -v 44100
    done
    mv "$work/stems16.tmp" "$work/stems16"
    mv "$work/stems16_active.tmp" "$work/stems16_active"
fi

timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" 2>"$work/$name.err" >/dev/null
    echo "$name $(cat "$work/$name.time")" >>"$work/times.txt"
}

: >"$work/times.txt"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for set in stems16 stems16_active; do
    for ((r = 1; r <= runs; r++)); do
        timed "sox_m_$set" sox -D -m "$work/$set"/*.wav -b 24 "$work/sox_sum_$set.wav"
        for t in 1 2; do
            rm -rf "$work/proj_${set}_t$t"
            timed "mix_${set}_t$t" "$bin" mix "$work/$set" -o "$work/proj_${set}_t$t" --threads "$t"
        done
    done
    rm -rf "$work/render_$set"
    timed "render_$set" "$bin" render "$work/proj_${set}_t2/plan.json" -o "$work/render_$set"
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" <<'PY'
import collections, sys
work = sys.argv[1]
rows = collections.defaultdict(list)
for line in open(f"{work}/times.txt"):
    name, wall, user, sys_, rss = line.split()
    rows[name].append((float(wall), float(user) + float(sys_), int(rss)))
def best(name):
    r = rows[name]
    return min(x[0] for x in r), min(x[1] for x in r), max(x[2] for x in r) / 1024
for s in ("stems16", "stems16_active"):
    floor = best(f"sox_m_{s}")
    for name, label in ((f"sox_m_{s}", "sox -m (plain sum)"), (f"mix_{s}_t1", "secondear mix --threads 1"),
                        (f"mix_{s}_t2", "secondear mix --threads 2"), (f"render_{s}", "secondear render plan.json (1 run)")):
        b = best(name)
        print(f"| {s} | {label} | {b[0]:.2f} | {b[1]:.2f} | {b[2]:.0f} | {b[0] / floor[0]:.1f}x | {b[1] / floor[1]:.1f}x |")
PY

# Determinism. mix.wav and stems/*.wav are float WAVs, into which libsndfile writes a PEAK chunk
# holding the time of writing, so they are compared chunk by chunk (bench/wav_same.py) as well as
# byte for byte; plan.json byte for byte (the reports hold timings and may differ).
here=$(cd "$(dirname "$0")" && pwd)
for set in stems16 stems16_active; do
    for f in mix.wav master.wav; do
        echo "$set render vs mix, $f: $(cmp -s "$work/proj_${set}_t2/$f" "$work/render_$set/$f" &&
            echo "byte-identical" || python3 "$here/wav_same.py" "$work/proj_${set}_t2/$f" "$work/render_$set/$f")"
    done
    (cd "$work/proj_${set}_t1" && find . -name '*.wav' -o -name plan.json) | sort | while read -r f; do
        if cmp -s "$work/proj_${set}_t1/$f" "$work/proj_${set}_t2/$f"; then
            echo "byte-identical"
        elif [[ $f == *.wav ]]; then
            python3 "$here/wav_same.py" "$work/proj_${set}_t1/$f" "$work/proj_${set}_t2/$f"
        else
            echo "DIFFER $f"
        fi
    done | sort | uniq -c | sed "s/^/$set --threads 1 vs 2: /"
done
