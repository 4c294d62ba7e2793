#!/usr/bin/env bash
# Corpus x destinations (issue 3): master every corpus mix (.flac and .mp3, noncommercial/
# included) for every delivery target, measure each output with ffmpeg's ebur128 meter
# (independent of ours: integrated loudness and true peak), and check the loudness error, the
# true-peak margin under the ceiling and the output length against the input length. Where the
# default run stops at the limiting bound (report: verification.stopped_at_limiting_bound), the
# master is made again with --force and both are listed. A subset is mastered twice and compared
# byte for byte.
#
# usage: bench/corpus_masters.sh [SECONDEAR] [WORK_DIR]
#   defaults: build/bench/secondear, /tmp/corpus_masters. Writes WORK_DIR/results.tsv and prints
#   the markdown table and the summary (bench/corpus_masters_table.py).
set -euo pipefail

bin=${1:-build/bench/secondear}
work=${2:-/tmp/corpus_masters}
mixes=${SECONDEAR_CORPUS:-/work/shared/corpus}/mixes
here=$(cd "$(dirname "$0")" && pwd)
targets=(spotify apple-music youtube amazon-music tidal deezer soundcloud podcast ebu-r128 atsc-a85
         cd club)
mkdir -p "$work"

# Frames as decoded by ffmpeg (for an MP3 that is after the encoder delay and padding that its
# LAME header declares are removed).
frames() {
    ffmpeg -hide_banner -nostats -y -i "$1" -map 0:a:0 -c:a pcm_f32le "$work/decoded.wav" 2>/dev/null
    soxi -s "$work/decoded.wav" 2>/dev/null
}
# ffmpeg ebur128: "I LRA TP" of a file. The filter's summary prints one decimal, so the values
# are read from its per-frame metadata at the end of the file (I and LRA in LU to 3 decimals,
# true peak as a linear value, the running maximum over the channels, converted to dBTP).
meter() {
    ffmpeg -hide_banner -nostats -i "$1" \
        -af "ebur128=peak=true:metadata=1,ametadata=mode=print:file=$work/meta.txt" -f null - 2>/dev/null
    awk -F= '/lavfi.r128.I=/ {i=$2} /lavfi.r128.LRA=/ {l=$2} /lavfi.r128.true_peak=/ {p=$2}
        END {printf "%s %s %.3f\n", i, l, 20 * log(p) / log(10)}' "$work/meta.txt"
}
ceiling() {
    python3 -c "import json,sys; print([t['ceiling_dbtp'] for t in json.load(open(sys.argv[1]))['targets'] if t['name']==sys.argv[2]][0])" \
        "$here/../data/targets.json" "$1"
}
lufs() {
    python3 -c "import json,sys; print([t['loudness_lufs'] for t in json.load(open(sys.argv[1]))['targets'] if t['name']==sys.argv[2]][0])" \
        "$here/../data/targets.json" "$1"
}
bound() {
    python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['verification']['stopped_at_limiting_bound']))" "$1"
}

printf 'file\ttarget\tmode\tin_frames\tout_frames\ttarget_lufs\tceiling_dbtp\tI\tLRA\tTP\tstopped_at_bound\n' \
    >"$work/results.tsv"
mapfile -t files < <(cd "$mixes" && find . -type f \( -name '*.flac' -o -name '*.mp3' \) | sed 's|^\./||' | sort)
for f in "${files[@]}"; do
    in=$mixes/$f
    stem=$(echo "$f" | tr '/' '_')
    n_in=$(frames "$in")
    for t in "${targets[@]}"; do
        for mode in default force; do
            out=$work/${stem%.*}.$t.$mode.wav
            rep=$work/${stem%.*}.$t.$mode.json
            extra=()
            if [[ $mode == force ]]; then
                [[ $(bound "$work/${stem%.*}.$t.default.json") == 1 ]] || continue
                extra=(--force)
            fi
            "$bin" master "$in" -o "$out" --target "$t" --report "$rep" "${extra[@]}" >/dev/null 2>"$work/err.txt" ||
                { echo "FAILED: $f $t $mode: $(cat "$work/err.txt")"; continue; }
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$t" "$mode" "$n_in" "$(soxi -s "$out")" \
                "$(lufs "$t")" "$(ceiling "$t")" "$(meter "$out" | tr ' ' '\t')" "$(bound "$rep")" \
                >>"$work/results.tsv"
        done
    done
done

# Determinism: the same master made twice must be byte-identical (subset: three files of
# different kinds, three targets).
for f in kevin_macleod-vibe_ace.flac kevin_macleod-gold_rush.original.mp3 \
         noncommercial/setuniman-sweet_waltz.flac; do
    stem=$(echo "$f" | tr '/' '_')
    for t in spotify ebu-r128 club; do
        "$bin" master "$mixes/$f" -o "$work/again.wav" --target "$t" >/dev/null 2>&1
        if cmp -s "$work/again.wav" "$work/${stem%.*}.$t.default.wav"; then
            echo "identical: $f $t"
        else
            echo "DIFFER: $f $t"
        fi
    done
done | tee "$work/determinism.txt"

python3 "$here/corpus_masters_table.py" "$work/results.tsv"
