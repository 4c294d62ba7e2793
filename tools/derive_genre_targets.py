#!/usr/bin/env python3
"""Write data/genres/<name>.json from a small parametric model per genre.

Levels are third-octave BAND levels (energy per band), in which pink noise is flat. The
long-term average spectrum of commercial mixes falls somewhat faster than pink noise (Pestana et
al. 2013; Elowsson & Friberg 2017; see docs/genres.md), i.e. band levels decline by roughly
1.3-3 dB per octave above the low end, with genre-dependent low end and top end. Speech follows
the long-term average speech spectrum (Byrne et al. 1994). The tonal target of each genre is
modelled, relative to the 1 kHz third-octave band, as

    level_db(f) = slope_db_per_oct * log2(f / 1000)          (overall tilt)
                + low_gain_db * bump(f, low_centre_hz, 1.5 oct)   (kick/bass region)
                - sub_rolloff_db_per_oct * max(0, log2(low_corner_hz / f))
                - top_rolloff_db_per_oct * max(0, log2(f / top_corner_hz))

with bump() a raised-cosine window in log frequency, then shifted so the 1 kHz band is 0 dB.
The per-genre parameters are our estimates, chosen to follow the published findings (more low
end and a flatter top for percussive, modern genres; less low end and a steeper top for jazz,
classical and spoken word); they are not measured averages.

Usage: tools/derive_genre_targets.py   (rewrites data/genres/*.json)
"""
import json
import math
import pathlib

ISO_THIRD_OCTAVE_HZ = [31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800,
                       1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500,
                       16000]

SOURCES = ("Shape: Pestana, Ma, Reiss, Barbosa, Black, 'Spectral characteristics of popular "
           "commercial recordings 1950-2010', AES 135th Convention, 2013 (long-term spectra of "
           "commercial mixes fall roughly pink-ish, with more low end in recent decades); Elowsson "
           "& Friberg, 'Long-term average spectrum in popular music and its relation to the level "
           "of the percussion', AES 142nd Convention, 2017 (genres with more percussion have "
           "flatter high-frequency slopes); speech: Byrne et al., 'An international comparison of "
           "long-term average speech spectra', JASA 96(4), 1994. Dynamics: PLR figures follow published loudness-war "
           "measurements (e.g. Vickers, 'The loudness war: background, speculation and "
           "recommendations', AES 129th Convention, 2010) and streaming-era practice. Per-genre "
           "parameters, vocal offsets, width, space and compression are our own estimates from "
           "common engineering practice, not measured averages.")

# name: (aliases, description, slope dB/oct, low gain dB, low centre Hz, sub corner Hz,
#        sub rolloff dB/oct, top corner Hz, top rolloff dB/oct, plr range dB, vocal offset LU,
#        side/mid dB, reverb send dB, rt60 s, bus comp (ratio, attack ms, release ms, GR dB),
#        drum bus (ratio, attack ms, release ms, GR dB) or None, loudness hint LUFS)
GENRES = {
    "pop": (["pop", "dance-pop", "k-pop"], "modern radio pop: bright, dense, vocal-led",
            -1.5, 3.0, 70, 35, 6, 12000, 6, (7, 10), -1.5, -8.0, -18, 1.4,
            (2.0, 30, 200, 2.0), (4.0, 10, 100, 3.0), -9.0),
    "rock": (["rock", "indie", "alternative", "punk", "indie-rock"], "guitar band rock",
             -1.6, 2.0, 90, 40, 6, 11000, 6, (8, 11), -2.5, -7.0, -20, 1.2,
             (2.0, 30, 150, 2.0), (4.0, 15, 100, 4.0), -9.0),
    "metal": (["metal", "heavy-metal", "metalcore", "hard-rock"], "dense, distorted, tight low end",
              -1.3, 2.0, 80, 45, 8, 11000, 8, (6, 9), -3.0, -6.0, -22, 1.0,
              (2.0, 30, 100, 2.0), (4.0, 5, 80, 5.0), -8.0),
    "hip-hop": (["hip-hop", "hiphop", "hip hop", "rap", "trap", "drill", "boom-bap"],
                "beat- and vocal-led; heavy sub and 808",
                -1.8, 6.0, 55, 28, 4, 12000, 6, (7, 10), -1.0, -10.0, -22, 1.0,
                (2.0, 30, 150, 2.0), (4.0, 10, 100, 3.0), -8.0),
    "r-and-b": (["r-and-b", "rnb", "r&b", "r and b", "soul", "neo-soul"], "smooth, warm, vocal-led",
                -2.0, 4.5, 60, 30, 5, 11000, 6, (8, 11), -1.0, -8.0, -16, 1.6,
                (2.0, 30, 200, 1.5), (3.0, 15, 120, 2.0), -10.0),
    "electronic": (["electronic", "edm", "house", "techno", "dance", "dubstep", "trance", "dnb"],
                   "club-oriented, strong sub and bright top",
                   -1.3, 5.0, 55, 30, 5, 14000, 5, (6, 9), -2.0, -6.0, -18, 1.5,
                   (2.0, 30, 100, 2.0), (4.0, 10, 60, 3.0), -7.5),
    "jazz": (["jazz", "swing", "bebop", "big-band"], "natural, dynamic, acoustic ensemble",
             -2.5, 0.5, 100, 45, 6, 9000, 8, (12, 16), -3.0, -9.0, -16, 1.8,
             (1.5, 30, 300, 1.0), None, -16.0),
    "acoustic": (["acoustic", "folk", "singer-songwriter", "americana", "country"],
                 "intimate acoustic instruments and voice",
                 -2.2, 1.0, 110, 50, 8, 10000, 6, (10, 14), -1.0, -9.0, -16, 1.5,
                 (1.5, 30, 250, 1.0), (2.0, 20, 150, 1.5), -14.0),
    "classical": (["classical", "orchestral", "chamber", "choral", "opera"],
                  "acoustic ensemble in a hall; wide dynamics",
                  -3.0, 0.0, 100, 40, 6, 8000, 8, (15, 22), -4.0, -7.0, -12, 2.2,
                  (1.2, 50, 500, 0.5), None, -20.0),
    "cinematic": (["cinematic", "film-score", "score", "soundtrack", "trailer", "epic"],
                  "large, wide, spacious; big low end",
                  -2.2, 3.5, 55, 28, 5, 10000, 6, (10, 15), -3.0, -6.0, -12, 2.8,
                  (1.5, 30, 300, 1.0), (3.0, 20, 150, 2.0), -14.0),
    "lo-fi": (["lo-fi", "lofi", "lo fi", "chillhop", "bedroom-pop"],
              "dark, warm, soft top, relaxed dynamics",
              -2.8, 3.0, 70, 40, 8, 7000, 12, (9, 12), -2.0, -9.0, -14, 1.6,
              (2.0, 30, 200, 2.0), (3.0, 20, 150, 2.0), -12.0),
    "spoken-word": (["spoken-word", "spoken word", "podcast", "audiobook", "voice", "speech",
                     "dialogue"],
                    "speech: intelligible, no low rumble, mono-compatible",
                    -3.0, 3.0, 350, 120, 12, 10000, 10, (10, 14), 0.0, -20.0, -30, 0.4,
                    (3.0, 10, 150, 4.0), None, -16.0),
}


def bump(f_hz, centre_hz, width_oct):
    x = math.log2(f_hz / centre_hz) / width_oct
    return 0.5 * (1 + math.cos(math.pi * x)) if abs(x) < 1 else 0.0


def curve(slope, low_gain, low_centre, sub_corner, sub_rolloff, top_corner, top_rolloff):
    def raw(f):
        return (slope * math.log2(f / 1000.0) + low_gain * bump(f, low_centre, 1.5)
                - sub_rolloff * max(0.0, math.log2(sub_corner / f))
                - top_rolloff * max(0.0, math.log2(f / top_corner)))
    ref = raw(1000.0)
    return [round(raw(f) - ref, 1) + 0.0 for f in ISO_THIRD_OCTAVE_HZ]


def comp(values):
    ratio, attack, release, gr = values
    return {"ratio": ratio, "attack_ms": attack, "release_ms": release, "gain_reduction_db": gr}


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    out_dir = root / "data" / "genres"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, g in GENRES.items():
        (aliases, description, slope, low_gain, low_centre, sub_corner, sub_rolloff, top_corner,
         top_rolloff, plr, vocal, side_mid, reverb, rt60, bus, drums, lufs) = g
        profile = {
            "name": name,
            "aliases": aliases,
            "description": description,
            "tonal_target": {
                "band_hz": ISO_THIRD_OCTAVE_HZ,
                "level_db": curve(slope, low_gain, low_centre, sub_corner, sub_rolloff,
                                  top_corner, top_rolloff),
                "model": {"slope_db_per_oct": slope, "low_gain_db": low_gain,
                          "low_centre_hz": low_centre, "sub_corner_hz": sub_corner,
                          "sub_rolloff_db_per_oct": sub_rolloff, "top_corner_hz": top_corner,
                          "top_rolloff_db_per_oct": top_rolloff},
            },
            "plr_db": {"min": plr[0], "max": plr[1]},
            "crest_db_target": (plr[0] + plr[1]) / 2,
            "lead_vocal_offset_lu": vocal,
            "width": {"side_mid_ratio_db": side_mid},
            "space": {"reverb_send_db": reverb, "rt60_s": rt60},
            "compression_style": {"bus": comp(bus), "drum_bus": comp(drums) if drums else None},
            "loudness_hint_lufs": lufs,
            "source": SOURCES,
        }
        text = json.dumps(profile, indent=2)
        # Keep number lists on one line each.
        text = __import__("re").sub(r"\[\s+([^\[\]{}]*?)\s+\]",
                                    lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
        (out_dir / f"{name}.json").write_text(text + "\n")
        print(name, profile["tonal_target"]["level_db"])


if __name__ == "__main__":
    main()
