#include "demo/demo_session.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <numbers>

#include "core/errors.hpp"
#include "core/units.hpp"
#include "dsp/biquad.hpp"
#include "io/decode.hpp"
#include "support/paths.hpp"

namespace secondear {
namespace {

using demo::DemoSession;

// Most tests share one short session (one bar per section: 6 bars, 12 s at 120 BPM) to stay
// fast under ASan; the full song is checked in the ReleaseOnly suite.
const DemoSession& short_session() {
    static const DemoSession s = demo::make_demo_session({.bars_per_section_scale = 4});
    return s;
}

const demo::DemoTrack& track(const DemoSession& s, const std::string& name) {
    const auto it = std::find_if(s.tracks.begin(), s.tracks.end(),
                                 [&](const demo::DemoTrack& t) { return t.name == name; });
    if (it == s.tracks.end()) throw std::runtime_error("no track " + name);
    return *it;
}

const demo::PlantedFault& fault(const DemoSession& s, const std::string& code) {
    const auto it = std::find_if(s.faults.begin(), s.faults.end(),
                                 [&](const demo::PlantedFault& f) { return f.code == code; });
    if (it == s.faults.end()) throw std::runtime_error("no fault " + code);
    return *it;
}

std::size_t frame_at(const DemoSession& s, double t_s) {
    return static_cast<std::size_t>(std::llround(t_s * s.sample_rate_hz));
}

/// RMS in dBFS of channel 0 over [start_s, end_s).
double rms_dbfs(const DemoSession& s, const AudioBuffer& a, double start_s, double end_s) {
    const auto x = a.channel(0);
    double sum = 0.0;
    const std::size_t b = frame_at(s, start_s);
    const std::size_t e = std::min(frame_at(s, end_s), x.size());
    for (std::size_t i = b; i < e; ++i) sum += static_cast<double>(x[i]) * x[i];
    return power_to_db(sum / static_cast<double>(e - b));
}

double peak_dbfs(const AudioBuffer& a) {
    float peak = 0.0f;
    for (int c = 0; c < a.channels(); ++c)
        for (float v : a.channel(c)) peak = std::max(peak, std::abs(v));
    return gain_to_db(peak);
}

/// Lag (frames, y relative to x) with the largest |cross-correlation| over [-max_lag, max_lag],
/// using x[i] * y[i + lag] over the window, and the correlation value at that lag.
struct XcorrPeak {
    long lag = 0;
    double value = 0.0;
};
XcorrPeak xcorr_peak(std::span<const float> x, std::span<const float> y, std::size_t start,
                     std::size_t length, long max_lag) {
    XcorrPeak best;
    for (long lag = -max_lag; lag <= max_lag; ++lag) {
        double r = 0.0;
        for (std::size_t i = start; i < start + length; ++i)
            r +=
                static_cast<double>(x[i]) * y[static_cast<std::size_t>(static_cast<long>(i) + lag)];
        if (std::abs(r) > std::abs(best.value)) best = {lag, r};
    }
    return best;
}

/// The first section with this label.
const demo::DemoSection& section(const DemoSession& s, const std::string& label, int nth = 1) {
    for (const auto& sec : s.sections)
        if (sec.label == label && --nth == 0) return sec;
    throw std::runtime_error("no section " + label);
}

TEST(DemoSession, IsDeterministic) {
    const DemoSession again = demo::make_demo_session({.bars_per_section_scale = 4});
    const DemoSession& s = short_session();
    ASSERT_EQ(again.tracks.size(), s.tracks.size());
    for (std::size_t k = 0; k < s.tracks.size(); ++k)
        EXPECT_EQ(again.tracks[k].audio, s.tracks[k].audio) << s.tracks[k].name;
    EXPECT_EQ(again.beats_s, s.beats_s);
    ASSERT_EQ(again.faults.size(), s.faults.size());
    for (std::size_t k = 0; k < s.faults.size(); ++k)
        EXPECT_EQ(again.faults[k].value, s.faults[k].value);
}

TEST(DemoSession, SeedChangesTheNoiseNotTheArrangement) {
    const DemoSession other = demo::make_demo_session({.seed = 2, .bars_per_section_scale = 4});
    const DemoSession& s = short_session();
    EXPECT_NE(track(other, "hihat").audio, track(s, "hihat").audio);
    EXPECT_EQ(track(other, "pad").audio, track(s, "pad").audio);  // no noise in the pad
    EXPECT_EQ(other.beats_s, s.beats_s);
}

TEST(DemoSession, TracksAreSampleAlignedWithStemLevels) {
    const DemoSession& s = short_session();
    ASSERT_EQ(s.tracks.size(), 12u);
    const std::size_t frames = s.tracks[0].audio.frames();
    for (const auto& t : s.tracks) {
        EXPECT_EQ(t.audio.frames(), frames) << t.name;
        EXPECT_EQ(t.audio.sample_rate_hz(), 44100.0);
        const bool stereo = t.name == "overheads" || t.name == "keys" || t.name == "pad" ||
                            t.name == "backing_vocal";
        EXPECT_EQ(t.audio.channels(), stereo ? 2 : 1) << t.name;
        // Unmixed stems: musical peaks of -6 to -20 dBFS; the bass's jumped phrase (+8 dB) and
        // the keys' rumble add to those two, still leaving headroom (no clipped source planted).
        EXPECT_LE(peak_dbfs(t.audio), -3.0) << t.name;
        EXPECT_GE(peak_dbfs(t.audio), -20.1) << t.name;
    }
}

TEST(DemoSession, KickOutIsLateByTheStatedOffset) {
    const DemoSession& s = short_session();
    const auto& f = fault(s, "TIME_OFFSET");
    EXPECT_EQ(f.track, "kick_out");
    EXPECT_EQ(f.related_track, "kick_in");
    const long stated = std::lround(f.value / 1000.0 * s.sample_rate_hz);
    EXPECT_EQ(stated, 57);  // round(1.3 ms * 44.1 kHz)
    const auto& verse = section(s, "verse");
    const XcorrPeak p =
        xcorr_peak(track(s, "kick_in").audio.channel(0), track(s, "kick_out").audio.channel(0),
                   frame_at(s, verse.start_s), frame_at(s, 1.5), 120);
    // Within one frame, as the brief asks (the two mics hear different tone, same phase).
    EXPECT_NEAR(static_cast<double>(p.lag), static_cast<double>(stated), 1.0);
    EXPECT_GT(p.value, 0.0);
}

TEST(DemoSession, SnareBottomIsPolarityInverted) {
    const DemoSession& s = short_session();
    const auto& f = fault(s, "POLARITY_INVERTED");
    EXPECT_EQ(f.track, "snare_bottom");
    EXPECT_EQ(f.related_track, "snare_top");
    const auto& verse = section(s, "verse");
    const XcorrPeak p = xcorr_peak(track(s, "snare_top").audio.channel(0),
                                   track(s, "snare_bottom").audio.channel(0),
                                   frame_at(s, verse.start_s), frame_at(s, 2.0), 40);
    EXPECT_EQ(p.lag, 0);  // the two snare mics are at the same distance: no offset planted
    EXPECT_LT(p.value, 0.0);
}

TEST(DemoSession, WithoutFaultsTheDrumMicsAgree) {
    const DemoSession s = demo::make_demo_session({.bars_per_section_scale = 4, .faults = false});
    const auto& verse = section(s, "verse");
    const XcorrPeak kick =
        xcorr_peak(track(s, "kick_in").audio.channel(0), track(s, "kick_out").audio.channel(0),
                   frame_at(s, verse.start_s), frame_at(s, 1.5), 120);
    EXPECT_NEAR(static_cast<double>(kick.lag), 0.0, 1.0);
    const XcorrPeak snare = xcorr_peak(track(s, "snare_top").audio.channel(0),
                                       track(s, "snare_bottom").audio.channel(0),
                                       frame_at(s, verse.start_s), frame_at(s, 2.0), 40);
    EXPECT_EQ(snare.lag, 0);
    EXPECT_GT(snare.value, 0.0);
    // No hiss: the vocal is digital silence before its first phrase.
    const auto& intro = section(s, "intro");
    const auto vox = track(s, "lead_vocal").audio.channel(0);
    EXPECT_TRUE(std::all_of(vox.begin(), vox.begin() + static_cast<long>(frame_at(s, intro.end_s)),
                            [](float v) { return v == 0.0f; }));
    ASSERT_EQ(s.faults.size(), 1u);
    EXPECT_EQ(s.faults[0].code, "INTENTIONAL_DISTORTION");
    EXPECT_EQ(s.clean_tracks.size(), 11u);
}

TEST(DemoSession, VocalNoiseIsAtTheStatedLevelBetweenPhrases) {
    const DemoSession& s = short_session();
    const auto& f = fault(s, "NOISE_BETWEEN_PHRASES");
    EXPECT_EQ(f.track, "lead_vocal");
    const AudioBuffer& vox = track(s, "lead_vocal").audio;
    const auto& intro = section(s, "intro");  // nothing sung: the noise alone
    // 0.1 dB: the noise is scaled to its stated RMS over the whole track; a 2 s part of a
    // stationary noise reads within a few hundredths of a dB of it.
    EXPECT_NEAR(rms_dbfs(s, vox, intro.start_s, intro.end_s), f.value, 0.1);
    // The gap after a verse phrase (beats 3 to 4: the last note's release ends before beat 3).
    const auto& verse = section(s, "verse");
    const double beat_s = 60.0 / s.tempo_bpm;
    EXPECT_NEAR(rms_dbfs(s, vox, verse.start_s + 3.0 * beat_s, verse.start_s + 4.0 * beat_s),
                f.value, 0.5);  // 0.5 dB: 0.5 s of noise varies more than 2 s
    // And singing is far above it.
    EXPECT_GT(rms_dbfs(s, vox, verse.start_s, verse.start_s + beat_s), f.value + 20.0);
}

TEST(DemoSession, KeysCarryRumbleAroundTheStatedFrequency) {
    const DemoSession& s = short_session();
    const auto& f = fault(s, "RUMBLE");
    EXPECT_EQ(f.track, "keys");
    auto low_band_dbfs = [&](const AudioBuffer& a) {
        dsp::BiquadCascade lp;
        const auto sections = dsp::butterworth_low_pass_sections(30.0, 4, s.sample_rate_hz);
        lp.set_sections(sections);
        double sum = 0.0;
        for (float v : a.channel(0)) {
            const double y = lp.process_sample(0, v);
            sum += y * y;
        }
        return power_to_db(sum / static_cast<double>(a.frames()));
    };
    const double keys_low = low_band_dbfs(track(s, "keys").audio);
    const double pad_low = low_band_dbfs(track(s, "pad").audio);
    // The rumble band (centre 20 Hz, Q 1, 4th order) lies mostly below 30 Hz: 3 dB allows for
    // the part above the low-pass corner.
    EXPECT_NEAR(keys_low, f.level_dbfs, 3.0);
    EXPECT_GT(keys_low, pad_low + 40.0);  // the clean pad has nothing down there

    // Centre: power-weighted mean of log frequency over 5..80 Hz (two octaves either side of
    // 20 Hz; the band-pass is symmetric in log frequency), from 1 s Goertzel segments averaged.
    const auto x = track(s, "keys").audio.channel(0);
    const std::size_t seg = frame_at(s, 1.0);
    double weighted_log = 0.0;
    double total = 0.0;
    for (double hz = 5.0; hz <= 80.0; hz += 1.0) {
        const double k = 2.0 * std::cos(2.0 * std::numbers::pi * hz / s.sample_rate_hz);
        double power = 0.0;
        for (std::size_t start = 0; start + seg <= x.size(); start += seg) {
            double s1 = 0.0;
            double s2 = 0.0;
            for (std::size_t i = start; i < start + seg; ++i) {
                const double s0 = x[i] + k * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            power += s1 * s1 + s2 * s2 - k * s1 * s2;
        }
        weighted_log += power * std::log2(hz);
        total += power;
    }
    // 3 Hz: twelve 1 s segments of a noise band leave a few percent of scatter in the centroid.
    EXPECT_NEAR(std::exp2(weighted_log / total), f.value, 3.0);
}

TEST(DemoSession, BassPhraseJumpsByTheStatedLevel) {
    const DemoSession& s = short_session();
    const auto& f = fault(s, "UNEVEN_LEVEL");
    EXPECT_EQ(f.track, "bass");
    const auto& verse1 = section(s, "verse", 1);
    const auto& verse2 = section(s, "verse", 2);
    EXPECT_GE(f.start_s, verse2.start_s);
    EXPECT_LE(f.end_s, verse2.end_s);
    EXPECT_LT(f.start_s, f.end_s);
    const AudioBuffer& bass = track(s, "bass").audio;
    const double shift_s = verse2.start_s - verse1.start_s;
    const double jump_db = rms_dbfs(s, bass, f.start_s, f.end_s) -
                           rms_dbfs(s, bass, f.start_s - shift_s, f.end_s - shift_s);
    EXPECT_NEAR(jump_db, f.value, 0.5);  // the brief's tolerance; by construction it is exact
}

TEST(DemoSession, ChorusIsDenserAndLouderThanVerse) {
    const DemoSession& s = short_session();
    const auto& verse = section(s, "verse");
    const auto& chorus = section(s, "chorus");
    double verse_power = 0.0;
    double chorus_power = 0.0;
    for (const auto& t : s.tracks) {
        verse_power += std::pow(10.0, rms_dbfs(s, t.audio, verse.start_s, verse.end_s) / 10.0);
        chorus_power += std::pow(10.0, rms_dbfs(s, t.audio, chorus.start_s, chorus.end_s) / 10.0);
    }
    // 3 dB: a clear step for section detection (the sum of stem powers, before any mixing).
    EXPECT_GT(power_to_db(chorus_power) - power_to_db(verse_power), 3.0);
    const AudioBuffer& bv = track(s, "backing_vocal").audio;
    EXPECT_LT(rms_dbfs(s, bv, verse.start_s, verse.end_s), -200.0);  // silent in the verse
    EXPECT_GT(rms_dbfs(s, bv, chorus.start_s, chorus.end_s), -40.0);
    const AudioBuffer& vox = track(s, "lead_vocal").audio;
    // The verse is sung about 9 dB softer (amplitude 0.35 against 1).
    EXPECT_GT(rms_dbfs(s, vox, chorus.start_s, chorus.end_s) -
                  rms_dbfs(s, vox, verse.start_s, verse.end_s),
              6.0);
}

TEST(DemoSession, FaultListAndControls) {
    const DemoSession& s = short_session();
    std::vector<std::string> codes;
    for (const auto& f : s.faults) {
        codes.push_back(f.code);
        EXPECT_FALSE(f.text.empty());
        EXPECT_TRUE(std::any_of(s.tracks.begin(), s.tracks.end(),
                                [&](const demo::DemoTrack& t) { return t.name == f.track; }));
    }
    EXPECT_EQ(codes,
              (std::vector<std::string>{"TIME_OFFSET", "POLARITY_INVERTED", "NOISE_BETWEEN_PHRASES",
                                        "RUMBLE", "UNEVEN_LEVEL", "INTENTIONAL_DISTORTION"}));
    EXPECT_EQ(s.clean_tracks, (std::vector<std::string>{"hihat", "pad", "backing_vocal"}));
    for (const auto& name : s.clean_tracks)
        for (const auto& f : s.faults) EXPECT_NE(f.track, name);
}

TEST(DemoSession, SectionsAndBeatsCoverTheSong) {
    const DemoSession& s = short_session();
    const double duration_s = s.tracks[0].audio.duration_s();
    ASSERT_EQ(s.sections.size(), 6u);
    EXPECT_EQ(s.sections.front().start_s, 0.0);
    for (std::size_t k = 1; k < s.sections.size(); ++k)
        EXPECT_EQ(s.sections[k].start_s, s.sections[k - 1].end_s);
    EXPECT_NEAR(s.sections.back().end_s, duration_s, 0.5 / s.sample_rate_hz);
    std::vector<std::string> labels;
    for (const auto& sec : s.sections) labels.push_back(sec.label);
    EXPECT_EQ(labels,
              (std::vector<std::string>{"intro", "verse", "chorus", "verse", "chorus", "outro"}));
    ASSERT_EQ(s.beats_s.size(), 24u);  // 6 bars of 4 beats
    EXPECT_DOUBLE_EQ(s.beats_s[1] - s.beats_s[0], 0.5);
}

TEST(DemoSession, WritesReadableStemsAndJson) {
    const DemoSession& s = short_session();
    const auto dir = test::scratch_dir() / "demo";
    const auto written = demo::write_demo_session(s, dir);
    ASSERT_EQ(written.size(), s.tracks.size() + 2);
    for (std::size_t k = 0; k < s.tracks.size(); ++k) {
        EXPECT_EQ(written[k].filename(), s.tracks[k].name + ".wav");
        const io::Decoded d = io::decode(written[k]);
        EXPECT_EQ(d.info.encoding, "pcm24");
        ASSERT_EQ(d.audio.channels(), s.tracks[k].audio.channels());
        ASSERT_EQ(d.audio.frames(), s.tracks[k].audio.frames());
        float worst = 0.0f;
        for (int c = 0; c < d.audio.channels(); ++c)
            for (std::size_t i = 0; i < d.audio.frames(); ++i)
                worst = std::max(worst,
                                 std::abs(d.audio.channel(c)[i] - s.tracks[k].audio.channel(c)[i]));
        EXPECT_LE(worst, 1.0f / 8388608.0f) << s.tracks[k].name;  // one 24-bit step
    }
    std::ifstream session_file(dir / "session.json");
    const auto session = nlohmann::json::parse(session_file);
    ASSERT_EQ(session.at("tracks").size(), s.tracks.size());
    for (const auto& t : session.at("tracks"))
        EXPECT_TRUE(std::filesystem::exists(dir / t.at("file").get<std::string>()));
    EXPECT_EQ(session.at("tempo_bpm").get<double>(), 120.0);
    EXPECT_FALSE(session.contains("faults"));  // the engine must find them by listening
    std::ifstream truth_file(dir / "truth.json");
    const auto truth = nlohmann::json::parse(truth_file);
    ASSERT_EQ(truth.at("faults").size(), s.faults.size());
    EXPECT_EQ(truth.at("faults")[0].at("value").get<double>(), s.faults[0].value);
    EXPECT_EQ(truth.at("beats_s").size(), s.beats_s.size());
}

TEST(DemoSession, OtherRateAndTempoKeepTheTruth) {
    const DemoSession s = demo::make_demo_session(
        {.sample_rate_hz = 48000.0, .tempo_bpm = 100.0, .bars_per_section_scale = 4});
    const double bar_s = 4.0 * 60.0 / 100.0;
    // 6 bars; the length is rounded to whole frames.
    EXPECT_NEAR(s.tracks[0].audio.duration_s(), 6.0 * bar_s, 0.5 / 48000.0);
    EXPECT_DOUBLE_EQ(s.sections[2].start_s, 2.0 * bar_s);
    const auto& f = fault(s, "TIME_OFFSET");
    const long stated = std::lround(f.value / 1000.0 * s.sample_rate_hz);
    EXPECT_EQ(stated, 62);  // round(1.3 ms * 48 kHz)
    const auto& verse = section(s, "verse");
    const XcorrPeak p =
        xcorr_peak(track(s, "kick_in").audio.channel(0), track(s, "kick_out").audio.channel(0),
                   frame_at(s, verse.start_s), frame_at(s, 1.5), 120);
    EXPECT_NEAR(static_cast<double>(p.lag), static_cast<double>(stated), 1.0);
}

TEST(DemoSession, RejectsOptionsOutOfRange) {
    EXPECT_THROW(demo::make_demo_session({.sample_rate_hz = 1000.0}), Error);
    EXPECT_THROW(demo::make_demo_session({.tempo_bpm = 0.0}), Error);
    EXPECT_THROW(demo::make_demo_session({.bars_per_section_scale = 0}), Error);
}

TEST(DemoSessionReleaseOnly, FullSongIsFortySeconds) {
    const DemoSession s = demo::make_demo_session();
    EXPECT_DOUBLE_EQ(s.tracks[0].audio.duration_s(), 40.0);  // 20 bars at 120 BPM
    std::vector<double> bounds;
    for (const auto& sec : s.sections) bounds.push_back(sec.start_s);
    EXPECT_EQ(bounds, (std::vector<double>{0.0, 4.0, 12.0, 20.0, 28.0, 36.0}));
    EXPECT_EQ(s.beats_s.size(), 80u);
    const auto& f = fault(s, "UNEVEN_LEVEL");
    EXPECT_DOUBLE_EQ(f.start_s, 22.0);  // bars 2-3 of the second verse
    EXPECT_DOUBLE_EQ(f.end_s, 26.0);
}

}  // namespace
}  // namespace secondear
