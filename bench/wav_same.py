#!/usr/bin/env python3
"""Compare two WAV files chunk by chunk: prints "identical", or which RIFF chunks differ.

libsndfile writes a PEAK chunk into float WAVs whose header holds the write time (seconds), so
two float renders of the same audio can differ in that one field; this tells that case apart
from a difference in the audio (the data chunk). Exit status 0 when the data chunks are equal.

usage: bench/wav_same.py A.wav B.wav
"""
import struct
import sys


def chunks(path):
    data = open(path, "rb").read()
    out, pos = {}, 12
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4].decode("latin-1"), struct.unpack("<I", data[pos + 4:pos + 8])[0]
        out[cid] = data[pos + 8:pos + 8 + size]
        pos += 8 + size + (size & 1)
    return out


a, b = chunks(sys.argv[1]), chunks(sys.argv[2])
diff = [c for c in sorted(set(a) | set(b)) if a.get(c) != b.get(c)]
if not diff:
    print("identical")
elif diff == ["PEAK"] and a["PEAK"][:4] == b["PEAK"][:4] and a["PEAK"][8:] == b["PEAK"][8:]:
    print("audio identical; only the PEAK chunk's time stamp differs")
else:
    print("DIFFER in chunks: " + ", ".join(diff))
sys.exit(0 if a.get("data") == b.get("data") else 1)
