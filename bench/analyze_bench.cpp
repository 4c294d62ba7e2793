// Analysis speed: our full analysis of a generated 4-minute 44.1 kHz stereo file next to the
// libebur128 reference and `ffmpeg -af ebur128=peak=true`, all timed in the same run (best of N
// runs each, decode included everywhere). Prints a markdown table for docs/benchmarks.md.
// Both wall-clock and CPU time are reported: on a shared machine wall clock includes waiting for
// a core, CPU time does not (for ffmpeg it is the child process's user + system time, all of
// its threads).
//
// Usage: analyze_bench [--runs N] [--keep] [WORK_DIR]
//   WORK_DIR (default: the system temp folder) receives analyze_bench_4min.wav; --keep leaves it.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <time.h>

#include "analysis/loudness.hpp"
#include "core/audio_buffer.hpp"
#include "core/errors.hpp"
#include "core/units.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include "pipeline.hpp"

namespace fs = std::filesystem;
using namespace secondear;

namespace {

constexpr double k_rate_hz = 44100.0;
constexpr double k_seconds = 240.0;
constexpr double k_beat_s = 0.5;  // 120 BPM

// Deterministic and music-like: pink noise (Paul Kellet's economy filter) under a drum-like
// envelope (a hit every beat decaying with a 60 ms time constant, accents on beats 1 and 3),
// plus a 220 Hz tone with a little vibrato, and an 8-bar loud/quiet alternation so that the
// loudness range is not trivial. Peaks reach a few dB below full scale, so true peak has work to
// do.
AudioBuffer make_test_signal() {
    const auto frames = static_cast<std::size_t>(k_seconds * k_rate_hz);
    AudioBuffer out(2, frames, k_rate_hz);
    std::mt19937_64 rng(20240611);
    std::normal_distribution<double> white(0.0, 1.0);
    double pink[2][3] = {};
    for (std::size_t i = 0; i < frames; ++i) {
        const double t = static_cast<double>(i) / k_rate_hz;
        const double beat_pos = std::fmod(t, k_beat_s);
        const int beat = static_cast<int>(t / k_beat_s) % 4;
        const double accent = (beat == 0 || beat == 2) ? 1.0 : 0.55;
        const double section_gain = (static_cast<int>(t / 16.0) % 2 == 0) ? 1.0 : 0.35;
        const double hit = accent * std::exp(-beat_pos / 0.060);
        const double tone = 0.12 * std::sin(2.0 * std::numbers::pi * 220.0 * t +
                                            0.8 * std::sin(2.0 * std::numbers::pi * 5.0 * t));
        for (int c = 0; c < 2; ++c) {
            const double w = white(rng);
            double* b = pink[c];
            b[0] = 0.99765 * b[0] + w * 0.0990460;
            b[1] = 0.96300 * b[1] + w * 0.2965164;
            b[2] = 0.57000 * b[2] + w * 1.0526913;
            const double p = (b[0] + b[1] + b[2] + w * 0.1848) * 0.05;
            out.channel(c)[i] =
                static_cast<float>(section_gain * (p * (0.15 + 0.85 * hit) + 0.6 * tone));
        }
    }
    return out;
}

struct Timing {
    double wall_s = 1e300;
    double cpu_s = 1e300;
};

double wall_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double process_cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double children_cpu_now() {
    rusage ru{};
    getrusage(RUSAGE_CHILDREN, &ru);
    const auto sec = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + 1e-6 * static_cast<double>(tv.tv_usec);
    };
    return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// Best of `runs` for wall clock and for CPU time (each minimised separately).
Timing best_of(int runs, const std::function<void()>& job, bool in_child = false) {
    Timing best;
    for (int r = 0; r < runs; ++r) {
        const double w0 = wall_now();
        const double c0 = in_child ? children_cpu_now() : process_cpu_now();
        job();
        best.cpu_s = std::min(best.cpu_s, (in_child ? children_cpu_now() : process_cpu_now()) - c0);
        best.wall_s = std::min(best.wall_s, wall_now() - w0);
    }
    return best;
}

// The timed path of "our full analysis", what `secondear analyze` does: one streaming pass of the
// whole Analyzer (loudness, true peak, 1/3-octave spectrum, dynamics, stereo, clipping, floor,
// problems) over the decoded file.
analysis::LoudnessResult run_full_analysis(const fs::path& path) {
    return pipeline::analyze_file(path).analysis.loudness;
}

analysis::LoudnessResult run_reference_analysis(const fs::path& path) {
    const io::Decoded d = io::decode(path);
    return analysis::measure_loudness_reference(d.audio);
}

struct FfmpegReading {
    double integrated_lufs = NAN;
    double lra_lu = NAN;
    double true_peak_dbtp = NAN;
};

// ffmpeg's ebur128 filter prints a summary at the end ("I: ... LUFS", "LRA: ... LU",
// "Peak: ... dBFS" under "True peak:"); the last occurrence of each is the summary's.
FfmpegReading parse_ffmpeg_summary(const fs::path& log) {
    FfmpegReading r;
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string key;
        words >> key;
        double value = NAN;
        if (key == "I:" && words >> value) r.integrated_lufs = value;
        if (key == "LRA:" && words >> value) r.lra_lu = value;
        if (key == "Peak:" && words >> value) r.true_peak_dbtp = value;
    }
    return r;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s) out += (ch == '\'') ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace

int main(int argc, char** argv) try {
    int runs = 3;
    bool keep = false;
    fs::path work = fs::temp_directory_path();
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--keep")
            keep = true;
        else
            work = arg;
    }
    fs::create_directories(work);
    const fs::path wav = work / "analyze_bench_4min.wav";
    const fs::path ffmpeg_log = work / "analyze_bench_ffmpeg.log";

    std::fprintf(stderr, "generating %s ...\n", wav.c_str());
    io::encode(make_test_signal(), wav, {io::Container::wav, io::SampleFormat::pcm16});

    analysis::LoudnessResult ours;
    analysis::LoudnessResult reference;
    const Timing t_ours = best_of(runs, [&] { ours = run_full_analysis(wav); });
    const Timing t_reference = best_of(runs, [&] { reference = run_reference_analysis(wav); });
    const std::string ffmpeg_cmd = "ffmpeg -nostats -hide_banner -i " + shell_quote(wav.string()) +
                                   " -af ebur128=peak=true -f null -";
    int ffmpeg_status = 0;
    const Timing t_ffmpeg = best_of(
        runs,
        [&] {
            ffmpeg_status =
                std::system((ffmpeg_cmd + " 2> " + shell_quote(ffmpeg_log.string())).c_str());
        },
        true);
    const FfmpegReading ff =
        ffmpeg_status == 0 ? parse_ffmpeg_summary(ffmpeg_log) : FfmpegReading{};
    // The parts of our path, for the record: decode alone, and the meter on audio in memory.
    const io::Decoded decoded = io::decode(wav);
    const Timing t_decode = best_of(runs, [&] { (void)io::decode(wav); });
    const Timing t_meter = best_of(runs, [&] { (void)analysis::measure_loudness(decoded.audio); });

    const bool have_ffmpeg = ffmpeg_status == 0;
    const auto row = [&](const std::string& what, const std::string& how, const Timing& t,
                         double i_lufs, double lra, double tp) {
        std::printf("| %s | `%s` | %.3f | %.3f | %s | %s | %s | %s | %s |\n", what.c_str(),
                    how.c_str(), t.wall_s, t.cpu_s,
                    have_ffmpeg ? fmt("%.1fx", t_ffmpeg.wall_s / t.wall_s).c_str() : "n/a",
                    have_ffmpeg ? fmt("%.1fx", t_ffmpeg.cpu_s / t.cpu_s).c_str() : "n/a",
                    fmt("%.2f", i_lufs).c_str(), fmt("%.2f", lra).c_str(), fmt("%.2f", tp).c_str());
    };
    std::printf(
        "File: 4:00 generated 44.1 kHz stereo 16-bit WAV (%s); best of %d runs; decode "
        "included in the first three rows.\n\n",
        wav.filename().c_str(), runs);
    std::printf(
        "| path | command / function | wall (s) | CPU (s) | ffmpeg / this, wall | "
        "ffmpeg / this, CPU | I (LUFS) | LRA (LU) | TP (dBTP) |\n"
        "|---|---|---|---|---|---|---|---|---|\n");
    row("ours: the full analysis (decode, loudness and true peak, spectrum, dynamics, stereo, "
        "clipping, problems)",
        "run_full_analysis(path)", t_ours, ours.integrated_lufs, ours.loudness_range_lu,
        ours.true_peak_dbtp);
    row("libebur128 reference, same measures", "run_reference_analysis(path)", t_reference,
        reference.integrated_lufs, reference.loudness_range_lu, reference.true_peak_dbtp);
    if (have_ffmpeg)
        row("ffmpeg 5.1 ebur128 filter", ffmpeg_cmd, t_ffmpeg, ff.integrated_lufs, ff.lra_lu,
            ff.true_peak_dbtp);
    else
        std::printf("| ffmpeg | `%s` | failed (exit status %d) | | | | | | |\n", ffmpeg_cmd.c_str(),
                    ffmpeg_status);
    std::printf(
        "\nParts of our path: decode alone (libsndfile, 16-bit WAV to float) %.3f s wall "
        "/ %.3f s CPU; LoudnessMeter on the decoded audio %.3f s wall / %.3f s CPU.\n",
        t_decode.wall_s, t_decode.cpu_s, t_meter.wall_s, t_meter.cpu_s);
    if (!keep) {
        fs::remove(wav);
        fs::remove(ffmpeg_log);
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "analyze_bench: %s\n", e.what());
    return 1;
}
