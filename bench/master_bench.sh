#!/usr/bin/env bash
# Master speed and memory (issue 3): `secondear master --target spotify` against ffmpeg's
# two-pass loudnorm (-14 LUFS, -1 dBTP, linear mode) on the same file in the same run, then the
# peak memory of a 4-minute against a 20-minute master.
#
# usage: bench/master_bench.sh [SECONDEAR] [WORK_DIR] [RUNS]
#   SECONDEAR defaults to build/bench/secondear, WORK_DIR to /tmp/master_bench, RUNS to 3.
#   LENGTHS="4min" (environment) times only the 4-minute file (the 20-minute one needs about
#   1.2 GB of free disk for its outputs and the spill file).
# Inputs: the 44.1 kHz corpus mixes concatenated with sox (vibe_ace, lets_go_fishin,
# krampus_workshop, sugar_plum_fairy), cut to 4:00, and the same sequence five times cut to 20:00.
# Every timing is `/usr/bin/time` (wall, user, sys, peak RSS); the table keeps the best of RUNS.
set -euo pipefail

bin=${1:-build/bench/secondear}
work=${2:-/tmp/master_bench}
runs=${3:-3}
lengths=${LENGTHS:-4min 20min}
mixes=${SECONDEAR_CORPUS:-/work/shared/corpus}/mixes
mkdir -p "$work"

seq4=("$mixes/kevin_macleod-vibe_ace.flac" "$mixes/karissa_hobbs-lets_go_fishin-first60s.flac"
      "$mixes/kevin_macleod-krampus_workshop-first60s.flac"
      "$mixes/kevin_macleod-sugar_plum_fairy-first60s.flac")
[[ -f $work/in_4min.wav ]] || sox "${seq4[@]}" -b 16 "$work/in_4min.wav" trim 0 240
[[ $lengths != *20min* || -f $work/in_20min.wav ]] ||
    sox "${seq4[@]}" "${seq4[@]}" "${seq4[@]}" "${seq4[@]}" "${seq4[@]}" -b 16 "$work/in_20min.wav" trim 0 1200

# timed NAME CMD...: runs CMD under /usr/bin/time, appends "NAME wall user sys rss_kb" to
# $work/times.txt, and leaves the command's stderr in $work/NAME.err.
timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" 2>"$work/$name.err" >/dev/null
    echo "$name $(cat "$work/$name.time")" >>"$work/times.txt"
}

# loudnorm pass 1 prints its measurement as JSON at the end of stderr.
measured() {
    python3 - "$1" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
m = json.loads(text[text.rindex("{"):text.rindex("}") + 1])
print(f"measured_I={m['input_i']}:measured_TP={m['input_tp']}:measured_LRA={m['input_lra']}"
      f":measured_thresh={m['input_thresh']}:offset={m['target_offset']}")
PY
}

: >"$work/times.txt"
ln='loudnorm=I=-14:TP=-1:LRA=11'
for ((r = 1; r <= runs; r++)); do
    for len in $lengths; do
        in=$work/in_$len.wav
        timed "secondear_$len" "$bin" master "$in" -o "$work/out_secondear_$len.wav" --target spotify \
            --report "$work/report_$len.json"
        timed "loudnorm1_$len" ffmpeg -hide_banner -nostats -i "$in" -af "$ln:print_format=json" -f null -
        timed "loudnorm2_$len" ffmpeg -hide_banner -nostats -y -i "$in" \
            -af "$ln:$(measured "$work/loudnorm1_$len.err"):linear=true:print_format=summary" \
            -ar 44100 "$work/out_loudnorm_$len.wav"
    done
done

python3 - "$work" $lengths <<'PY'
import collections, sys
work = sys.argv[1]
rows = collections.defaultdict(list)
for line in open(f"{work}/times.txt"):
    name, wall, user, sys_, rss = line.split()
    rows[name].append((float(wall), float(user) + float(sys_), int(rss)))
def best(name):
    r = rows[name]
    return min(x[0] for x in r), min(x[1] for x in r), max(x[2] for x in r) / 1024
for length in sys.argv[2:]:
    s = best(f"secondear_{length}")
    p1, p2 = best(f"loudnorm1_{length}"), best(f"loudnorm2_{length}")
    ln = (p1[0] + p2[0], p1[1] + p2[1], max(p1[2], p2[2]))
    print(f"| {length} | secondear master --target spotify | {s[0]:.2f} | {s[1]:.2f} | {s[2]:.0f} | "
          f"{ln[0] / s[0]:.1f}x | {ln[1] / s[1]:.1f}x |")
    print(f"| {length} | ffmpeg loudnorm pass 1 | {p1[0]:.2f} | {p1[1]:.2f} | {p1[2]:.0f} | | |")
    print(f"| {length} | ffmpeg loudnorm pass 2 (linear) | {p2[0]:.2f} | {p2[1]:.2f} | {p2[2]:.0f} | | |")
    print(f"| {length} | ffmpeg loudnorm, both passes | {ln[0]:.2f} | {ln[1]:.2f} | {ln[2]:.0f} | 1.0x | 1.0x |")
print()
print("runs per row:", {k: len(v) for k, v in rows.items()})
PY
for len in $lengths; do
    for o in secondear loudnorm; do
        printf '%s %s: ' "$len" "$o"
        ffmpeg -hide_banner -nostats -i "$work/out_${o}_$len.wav" -af ebur128=peak=true -f null - 2>&1 |
            grep -E '^\s+(I|Peak):' | tr -s ' ' | tr '\n' ' '
        echo
    done
done
grep -h 'Normalization Type' "$work"/loudnorm2_*.err | sort | uniq -c
