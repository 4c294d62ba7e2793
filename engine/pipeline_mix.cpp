// The mix recipe: session -> per-stem analysis (and between stems) -> plan -> render the mix and
// stems -> master the mix -> plan.json, report.json, summary.
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "analysis/features.hpp"
#include "analysis/roles.hpp"
#include "analysis/sections.hpp"
#include "analysis/tempo.hpp"
#include "core/errors.hpp"
#include "intent/genre.hpp"
#include "intent/session.hpp"
#include "intent/targets.hpp"
#include "intent/taste.hpp"
#include "io/encode.hpp"
#include "io/resample.hpp"
#include "pipeline.hpp"
#include "pipeline_revise.hpp"
#include "plan/master_planner.hpp"
#include "plan/mix_planner.hpp"
#include "render/mix_render.hpp"
#include "render/parallel.hpp"
#include "report/html_report.hpp"
#include "report/mix_report.hpp"
#include "report/plan_json.hpp"

namespace secondear::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr double k_alignment_excerpt_s = 60.0;

/// A stem at the session rate, padded or cut to the session length by the renderer.
std::unique_ptr<BlockSource> open_at_rate(const fs::path& path, double rate,
                                          std::vector<std::unique_ptr<AudioBuffer>>& keep) {
    auto reader = std::make_unique<io::AudioReader>(path);
    if (reader->info().sample_rate_hz == rate) return reader;
    keep.push_back(std::make_unique<AudioBuffer>(io::resample(io::decode(path).audio, rate)));
    return std::make_unique<BufferSource>(*keep.back());
}

AudioBuffer decode_at_rate(const fs::path& path, double rate) {
    auto d = io::decode(path);
    return d.audio.sample_rate_hz() == rate ? std::move(d.audio) : io::resample(d.audio, rate);
}

AudioBuffer mono_of(const AudioBuffer& a, std::size_t max_frames) {
    const std::size_t n = std::min(a.frames(), max_frames);
    AudioBuffer m(1, n, a.sample_rate_hz());
    for (int c = 0; c < a.channels(); ++c)
        for (std::size_t i = 0; i < n; ++i)
            m.channel(0)[i] += a.channel(c)[i] / static_cast<float>(a.channels());
    return m;
}

/// The project's audio files. Blocks are copied into a queue and encoded and written by a thread
/// of their own, in the order they came (the same bytes as writing them in place), so the render
/// does not wait for the disk; at most k_queue_blocks blocks (32 KB each) wait at a time.
class ProjectFiles final : public render::MixOutput {
  public:
    ProjectFiles(const fs::path& dir, const plan::Plan& plan, std::vector<fs::path> inputs) {
        const io::EncodeOptions f32{io::Container::wav, io::SampleFormat::float32};
        for (const auto& t : plan.tracks) {
            stem_paths.push_back(dir / "stems" /
                                 (fs::path(t.source_path).stem().string() + ".wav"));
            writers_.emplace_back(stem_paths.back(), f32, plan.sample_rate_hz, 2, inputs);
        }
        mix_path = dir / "mix.wav";
        writers_.emplace_back(mix_path, f32, plan.sample_rate_hz, 2, inputs);
        thread_ = std::jthread([this] { drain(); });
    }
    ~ProjectFiles() override { finish(); }
    ProjectFiles(const ProjectFiles&) = delete;
    ProjectFiles& operator=(const ProjectFiles&) = delete;

    void write_stem(std::size_t track, AudioView block) override { push(track, block); }
    void write_mix(AudioView block) override { push(writers_.size() - 1, block); }
    /// Waits for the queue to be written, then renames every file into place.
    void commit() {
        finish();
        if (error_) std::rethrow_exception(error_);
        for (auto& w : writers_) w.commit();
    }
    std::vector<fs::path> stem_paths;
    fs::path mix_path;

  private:
    static constexpr std::size_t k_queue_blocks = 256;
    struct Block {
        std::size_t file = 0;
        std::size_t frames = 0;
        std::vector<float> samples;  // the channels one after the other
    };

    void push(std::size_t file, AudioView block) {
        Block b{file, block.frames(), {}};
        b.samples.resize(2 * block.frames());
        for (int c = 0; c < 2; ++c)
            std::copy_n(block.channel(std::min(c, block.channels() - 1)), block.frames(),
                        b.samples.data() + static_cast<std::size_t>(c) * block.frames());
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return queue_.size() < k_queue_blocks || error_; });
        if (error_) std::rethrow_exception(error_);
        queue_.push_back(std::move(b));
        changed_.notify_all();
    }

    void drain() {
        while (true) {
            Block b;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
                if (queue_.empty()) return;
                b = std::move(queue_.front());
                queue_.pop_front();
                changed_.notify_all();
            }
            try {
                float* planes[2] = {b.samples.data(), b.samples.data() + b.frames};
                writers_[b.file].write(AudioView(planes, 2, b.frames));
            } catch (...) {
                std::lock_guard lock(mutex_);
                error_ = std::current_exception();
                queue_.clear();
                changed_.notify_all();
                return;
            }
        }
    }

    void finish() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            changed_.notify_all();
        }
        thread_.join();
    }

    std::vector<io::AudioWriter> writers_;  // the stems in plan order, then the mix
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Block> queue_;
    bool closed_ = false;
    std::exception_ptr error_;
    std::jthread thread_;  // last: it starts after, and stops before, everything it uses
};

class NullOutput final : public render::MixOutput {
  public:
    void write_stem(std::size_t, AudioView) override {}
    void write_mix(AudioView) override {}
};

std::vector<std::unique_ptr<BlockSource>> open_sources(
    const plan::Plan& plan, std::vector<std::unique_ptr<AudioBuffer>>& keep) {
    std::vector<std::unique_ptr<BlockSource>> sources;
    for (const auto& t : plan.tracks)
        sources.push_back(open_at_rate(t.source_path, plan.sample_rate_hz, keep));
    return sources;
}

/// Renders the mix once without writing it, measures every stem after its processing, and moves
/// each unlocked fader by what is left between the stem and its balance target (processing
/// changes loudness in ways the plan can only estimate).
void verify_balance(plan::Plan& plan, int threads) {
    std::vector<std::unique_ptr<AudioBuffer>> keep;
    auto sources = open_sources(plan, keep);
    NullOutput null;
    render::MixRenderOptions mo;
    mo.threads = threads;
    mo.analyze_mix = false;
    const auto r = render::render_mix(plan, sources, null, mo);
    for (std::size_t i = 0; i < plan.tracks.size(); ++i) {
        auto& t = plan.tracks[i];
        if (t.fader_locked || t.mute || !std::isfinite(r.stem_lufs[i])) continue;
        for (auto& d : plan.decisions) {
            if (d.subject != t.name || d.rationale.code != "BALANCE") continue;
            double target = 0.0;
            for (const auto& [k, v] : d.rationale.evidence)
                if (k == "target_lufs") target = v;
            const double error = r.stem_lufs[i] - target;
            if (std::fabs(error) < 0.25) break;  // closer than anyone can hear in a balance
            t.fader_db = std::round((t.fader_db - error) * 100.0) / 100.0;
            d.rationale.text += fmt::format(
                " After its processing it measured {:.1f} LUFS, so the "
                "fader moved {:+.1f} dB more.",
                r.stem_lufs[i], -error);
            d.rationale.evidence.emplace_back("stem_lufs_before_correction", r.stem_lufs[i]);
            break;
        }
    }
}

class MasterFile final : public render::MasterOutput {
  public:
    MasterFile(fs::path path, double rate) : path_(std::move(path)), rate_(rate) {}
    void begin() override {
        writer_.reset();
        writer_.emplace(path_, io::EncodeOptions{io::Container::wav, io::SampleFormat::pcm24},
                        rate_, 2);
    }
    void write(AudioView block) override { writer_->write(block); }
    void commit() { writer_->commit(); }

  private:
    fs::path path_;
    double rate_;
    std::optional<io::AudioWriter> writer_;
};

plan::Target target_for(const std::string& name, std::optional<double> lufs,
                        std::optional<double> ceiling) {
    if (lufs && ceiling) return {"custom", *lufs, *ceiling};
    const auto d = intent::load_target(name.empty() ? intent::default_target_name() : name);
    return {d.name, d.loudness_lufs, d.ceiling_dbtp};
}

std::vector<analysis::SpectrumBand> genre_curve(const intent::GenreProfile& g) {
    std::vector<analysis::SpectrumBand> out;
    const auto& c = intent::iso_third_octave_centres_hz();
    for (std::size_t i = 0; i < c.size() && i < g.tonal_target_db.size(); ++i)
        out.push_back({c[i], g.tonal_target_db[i]});
    return out;
}

}  // namespace

MixOutcome render_project(plan::Plan plan, const fs::path& out_dir, const RenderOptions& options) {
    fs::create_directories(out_dir);
    std::vector<fs::path> inputs;
    for (const auto& t : plan.tracks) inputs.push_back(t.source_path);
    std::vector<std::unique_ptr<AudioBuffer>> keep;
    auto sources = open_sources(plan, keep);
    MixOutcome out;
    {
        ProjectFiles files(out_dir, plan, inputs);
        render::MixRenderOptions mo;
        mo.threads = options.threads;
        if (options.progress) mo.progress = [&](double f) { options.progress(0.6 * f); };
        out.mix = render::render_mix(plan, sources, files, mo);
        files.commit();
        out.stem_paths = files.stem_paths;
        out.mix_path = files.mix_path;
    }
    // The master chain is planned from the mix as rendered (unless the plan already has one
    // that a human locked or edited: then it is used as it is).
    if (plan.master.chain.empty() && !plan.master.clipper) {
        plan::MasterIntent mi;
        mi.target = plan.master.target;
        const auto genre = intent::load_genre(plan.genre.empty() ? "pop" : plan.genre);
        mi.tonal_target = genre_curve(genre);
        mi.tonal_target_name = fmt::format("the {} target curve", genre.name);
        mi.clipper = mi.target.loudness_lufs > -10.0;
        plan::Plan mp = plan::make_master_plan(out.mix.mix, out.mix_path.string(), mi);
        plan.master.chain = mp.master.chain;
        plan.master.clipper = mp.master.clipper;
        plan.master.limiter = mp.master.limiter;
        for (auto& d : mp.decisions) plan.decisions.push_back(d);
    }
    io::AudioReader mix_reader(out.mix_path);
    out.master_path = out_dir / "master.wav";
    MasterFile master(out.master_path, plan.sample_rate_hz);
    render::MasterRenderOptions ro;
    ro.spill_dir = out_dir;
    ro.source_frames = plan.frames;  // a long mix's pre-limiter audio goes to disk from the start
    if (options.progress) ro.progress = [&](double f) { options.progress(0.6 + 0.4 * f); };
    out.master = render::render_master(mix_reader, plan, master, ro);
    master.commit();
    out.plan = std::move(plan);
    return out;
}

MixOutcome mix(const MixJob& job) {
    const intent::Session session = intent::load_session(job.session);
    // Session rate: the most common rate among the stems (ties: the highest).
    std::vector<io::SourceInfo> infos;
    std::map<double, int> rates;
    for (const auto& t : session.tracks) {
        infos.push_back(io::probe(t.path));
        ++rates[infos.back().sample_rate_hz];
    }
    double rate = 0.0;
    int best = 0;
    for (const auto& [r, n] : rates)
        if (n >= best) {
            best = n;
            rate = r;
        }

    // Each stem once: decode, analyse, keep what later steps need (in batches of `threads`, summed
    // into the song in track order so that the result does not depend on the thread count).
    const std::size_t n = session.tracks.size();
    std::vector<plan::TrackEvidence> evidence(n);
    std::vector<std::optional<AudioBuffer>> excerpts(n);
    std::vector<analysis::RoleGuess> name_roles(n);
    for (std::size_t i = 0; i < n; ++i)
        name_roles[i] = analysis::role_from_name(session.tracks[i].name);
    static const std::vector<std::string> multi_mic = {
        "kick", "snare", "toms", "bass", "electric_guitar", "acoustic_guitar", "piano"};
    std::size_t frames = 0;
    for (const auto& info : infos)
        frames =
            std::max(frames, static_cast<std::size_t>(std::llround(
                                 static_cast<double>(info.frames) * rate / info.sample_rate_hz)));
    AudioBuffer song(1, frames, rate);
    const int threads = job.threads > 0 ? job.threads : render::ParallelFor::default_threads();
    render::ParallelFor pool(threads);
    std::vector<std::string> errors(n);
    // Every track in one parallel pass: the pool hands tracks out in order, each thread decodes
    // and analyses its own, then adds it to the song when all earlier tracks have been added (the
    // same float additions in the same order for any thread count). At most one decoded stem per
    // thread is held.
    std::mutex turn_mutex;
    std::condition_variable turn_changed;
    std::size_t turn = 0;  // the next track to add to the song
    pool.run(static_cast<int>(n), [&](int k) {
        const auto i = static_cast<std::size_t>(k);
        const auto& st = session.tracks[i];
        std::optional<AudioBuffer> audio;
        try {
            audio = decode_at_rate(st.path, rate);
            auto& e = evidence[i];
            e.name = st.name;
            e.path = st.path.string();
            e.channels = audio->channels();
            e.features = analysis::analyze_track(*audio);
            const auto by_audio = analysis::role_from_audio(e.features);
            e.role = st.role.empty()
                         ? analysis::combine_role(name_roles[i], by_audio)
                         : analysis::RoleGuess{st.role, 1.0, "given in the session file"};
            e.group = st.group;
            e.intents = st.intents;
            e.locked = st.locked;
            if (std::find(multi_mic.begin(), multi_mic.end(), e.role.role) != multi_mic.end())
                excerpts[i] =
                    mono_of(*audio, static_cast<std::size_t>(k_alignment_excerpt_s * rate));
        } catch (const Error& err) {
            errors[i] = err.what();
            audio.reset();
        }
        std::unique_lock lock(turn_mutex);
        turn_changed.wait(lock, [&] { return turn == i; });
        if (audio) {
            const std::size_t m = std::min(audio->frames(), frames);
            for (int c = 0; c < audio->channels(); ++c)
                for (std::size_t f = 0; f < m; ++f) song.channel(0)[f] += audio->channel(c)[f];
        }
        if (job.progress) job.progress(0.3 * static_cast<double>(i + 1) / static_cast<double>(n));
        ++turn;
        turn_changed.notify_all();
    });
    for (const auto& err : errors)
        if (!err.empty()) throw Error(ErrorKind::input_not_audio, err);

    // Between stems: alignment of mics that may share a source.
    std::vector<plan::PairEvidence> pairs;
    for (const auto& [a, b] : plan::candidate_pairs(evidence))
        if (excerpts[a] && excerpts[b])
            pairs.push_back({a, b, analysis::align_pair(*excerpts[a], *excerpts[b])});
    excerpts.clear();

    // The song: tempo, sections (given ones win), genre.
    plan::MixIntent mi;
    mi.target = target_for(job.target_name.empty() ? session.target : job.target_name,
                           job.loudness_lufs, job.ceiling_dbtp);
    // One spectral analysis of the song serves the tempo and the sections.
    const auto song_frames = analysis::compute_spectral_frames(song, threads);
    const auto tempo = analysis::analyze_tempo(song_frames);
    mi.tempo_bpm = session.tempo_bpm ? *session.tempo_bpm : tempo.tempo_bpm;
    analysis::SectionOptions so;
    for (const auto& s : session.sections)
        so.given.push_back({s.start_s, s.end_s, s.label, 1.0, 0, 0.0, 0.0});
    const auto sections = analysis::find_sections(song_frames, song.duration_s(), tempo, so);
    for (const auto& s : sections.sections)
        mi.sections.push_back({s.start_s, s.end_s, s.label, s.confidence});
    std::string genre = job.genre.empty() ? session.genre : job.genre;
    std::string genre_reason = "given";
    if (genre.empty()) {
        // The tonal balance of the stems as delivered says little (their gains are arbitrary),
        // so the guess listens to a first balance: the tracks' spectra at the faders a neutral
        // (pop) plan gives them, summed in power.
        plan::MixIntent neutral = mi;
        neutral.genre = intent::load_genre("pop");
        const auto first = plan::make_mix_plan(evidence, pairs, neutral, rate, frames);
        std::vector<double> levels;
        for (double hz : intent::iso_third_octave_centres_hz()) {
            double power = 0.0;
            for (std::size_t i = 0; i < evidence.size() && i < first.tracks.size(); ++i) {
                if (evidence[i].features.silent) continue;
                for (const auto& b : evidence[i].features.spectrum_third_octave)
                    if (std::fabs(b.hz - hz) < 1e-6 && std::isfinite(b.db))
                        power += std::pow(10.0, (b.db + first.tracks[i].fader_db) / 10.0);
            }
            levels.push_back(power > 0.0 ? 10.0 * std::log10(power) : -120.0);
        }
        // The instruments that play rule out styles that never use them.
        const auto plays = [&](std::initializer_list<std::string_view> roles) {
            return std::any_of(evidence.begin(), evidence.end(), [&](const auto& e) {
                return !e.features.silent &&
                       std::find(roles.begin(), roles.end(), e.role.role) != roles.end();
            });
        };
        std::vector<std::string> ruled_out;
        std::string ruled_out_text;
        if (plays({"kick", "snare", "hihat", "toms", "electric_guitar"})) {
            ruled_out.push_back("classical");
            ruled_out_text += "; classical ruled out (a drum kit or an electric guitar plays)";
        }
        if (plays({"kick", "snare", "hihat", "toms", "overheads", "room", "percussion", "bass",
                   "acoustic_guitar", "electric_guitar", "piano", "keys", "pad", "strings", "brass",
                   "woodwinds"})) {
            ruled_out.push_back("spoken-word");
            ruled_out_text += "; spoken-word ruled out (instruments play)";
        }
        const auto nearest = intent::nearest_genre(levels, std::nullopt, std::nullopt, ruled_out);
        genre = nearest.name;
        genre_reason = nearest.reason + ruled_out_text;
    }
    mi.genre = intent::load_genre(genre);

    plan::Plan plan = plan::make_mix_plan(evidence, pairs, mi, rate, frames);
    plan.decisions.push_back(
        {"mix",
         "noted",
         {genre_reason == "given" ? "GENRE_GIVEN" : "GENRE_GUESSED",
          genre_reason == "given"
              ? fmt::format("Genre profile: {}.", mi.genre.name)
              : fmt::format("No genre given: {} is the nearest profile ({}); use "
                            "--genre to choose.",
                            mi.genre.name, genre_reason),
          {}}});
    plan.decisions.push_back(
        {"mix",
         "noted",
         {session.tempo_bpm ? "TEMPO_GIVEN" : "TEMPO_DETECTED",
          fmt::format("Tempo {:.1f} BPM ({}), used for the delay and reverb timing.", mi.tempo_bpm,
                      session.tempo_bpm
                          ? "from the session"
                          : fmt::format("detected, confidence {:.2f}", tempo.confidence)),
          {{"tempo_bpm", mi.tempo_bpm}}}});

    verify_balance(plan, job.threads);
    // What this user kept asking for and accepting starts the mix (said in the report).
    if (job.taste_file) apply_taste_prior(plan, intent::load_taste(*job.taste_file));
    if (job.progress) job.progress(0.45);

    RenderOptions ro;
    ro.threads = job.threads;
    if (job.progress) ro.progress = [&](double f) { job.progress(0.45 + 0.55 * f); };
    MixOutcome out = render_project(std::move(plan), job.out_dir, ro);
    out.evidence = std::move(evidence);
    out.pairs = std::move(pairs);
    write_project_files(out, job.out_dir);
    return out;
}

void write_project_files(MixOutcome& out, const fs::path& dir) {
    out.report = report::mix_report_json({out.plan, out.mix, out.master, out.evidence,
                                          out.stem_paths, out.mix_path, out.master_path, dir});
    out.summary = report::mix_report_text({out.plan, out.mix, out.master, out.evidence,
                                           out.stem_paths, out.mix_path, out.master_path, dir});
    io::write_text_file(dir / "plan.json", report::plan_to_json(out.plan).dump(2) + "\n");
    io::write_text_file(dir / "report.json", out.report.dump(2) + "\n");
    io::write_text_file(dir / "report.html", report::html_report(out.report));
}

}  // namespace secondear::pipeline
