// The master recipe: decode -> analyze -> plan -> render (verify) -> encode + report.
#include <cmath>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "intent/genre.hpp"
#include "intent/targets.hpp"
#include "io/encode.hpp"
#include "io/resample.hpp"
#include "pipeline.hpp"
#include "plan/master_planner.hpp"
#include "render/master_render.hpp"
#include "report/html_report.hpp"
#include "report/master_report.hpp"

namespace secondear::pipeline {
namespace {

namespace fs = std::filesystem;

/// The master output file: a fresh atomic writer per final pass; committed at the end.
class FileOutput final : public render::MasterOutput {
  public:
    FileOutput(fs::path path, io::EncodeOptions options, double rate, int channels,
               std::vector<fs::path> inputs)
        : path_(std::move(path)),
          options_(options),
          rate_(rate),
          channels_(channels),
          inputs_(std::move(inputs)) {}
    void begin() override {
        writer_.reset();
        writer_.emplace(path_, options_, rate_, channels_, inputs_);
    }
    void write(AudioView block) override { writer_->write(block); }
    void commit() { writer_->commit(); }

  private:
    fs::path path_;
    io::EncodeOptions options_;
    double rate_;
    int channels_;
    std::vector<fs::path> inputs_;
    std::optional<io::AudioWriter> writer_;
};

plan::Target resolve_target(const MasterJob& job) {
    plan::Target t;
    if (job.loudness_lufs || job.ceiling_dbtp) {
        if (!job.loudness_lufs || !job.ceiling_dbtp)
            throw Error(ErrorKind::usage, "--lufs and --ceiling-dbtp go together");
        if (*job.loudness_lufs > -3.0 || *job.loudness_lufs < -40.0 || *job.ceiling_dbtp > 0.0 ||
            *job.ceiling_dbtp < -12.0)
            throw Error(ErrorKind::usage, fmt::format("custom target {:.1f} LUFS / {:.1f} dBTP is "
                                                      "outside -40..-3 LUFS and -12..0 dBTP",
                                                      *job.loudness_lufs, *job.ceiling_dbtp));
        return {"custom", *job.loudness_lufs, *job.ceiling_dbtp};
    }
    const auto d = intent::load_target(job.target_name.empty() ? intent::default_target_name()
                                                               : job.target_name);
    t = {d.name, d.loudness_lufs, d.ceiling_dbtp};
    return t;
}

/// The given genre, or the profile nearest to the mix's tonal balance and dynamics.
intent::NearestGenre choose_genre(const std::string& given, const analysis::Analysis& a) {
    if (!given.empty()) return {given, 0.0, "given"};
    std::vector<double> levels;
    for (double hz : intent::iso_third_octave_centres_hz()) {
        double db = -120.0;
        for (const auto& b : a.spectrum_third_octave)
            if (std::fabs(b.hz - hz) < 1e-6 && std::isfinite(b.db)) db = b.db;
        levels.push_back(db);
    }
    return intent::nearest_genre(levels, a.plr_db, a.side_mid_ratio_db);
}

std::vector<analysis::SpectrumBand> tonal_target(const intent::GenreProfile& profile) {
    std::vector<analysis::SpectrumBand> out;
    const auto& centres = intent::iso_third_octave_centres_hz();
    for (std::size_t i = 0; i < centres.size() && i < profile.tonal_target_db.size(); ++i)
        out.push_back({centres[i], profile.tonal_target_db[i]});
    return out;
}

}  // namespace

MasterOutcome master(const MasterJob& job) {
    const fs::path& in_path = job.input;
    if (fs::exists(job.output) && fs::exists(in_path) && fs::equivalent(job.output, in_path))
        throw Error(ErrorKind::output_failed,
                    fmt::format("{}: refusing to overwrite the input; choose another output path",
                                job.output.string()));
    const io::EncodeOptions encode_options{
        job.container ? *job.container : io::container_from_path(job.output),
        job.sample_format ? *job.sample_format : io::SampleFormat::pcm24};

    // Decode and analyze (streamed; resampled in memory only when another rate is asked for).
    io::AudioReader reader(in_path);
    std::optional<AudioBuffer> resampled;
    BlockSource* source = &reader;
    if (job.sample_rate_hz && *job.sample_rate_hz != reader.info().sample_rate_hz) {
        resampled = io::resample(io::decode(in_path).audio, *job.sample_rate_hz);
    }
    std::optional<BufferSource> resampled_source;
    if (resampled) {
        resampled_source.emplace(*resampled);
        source = &*resampled_source;
    }
    MasterOutcome out;
    out.before = analyze_source(*source, in_path.string());

    plan::MasterIntent intent;
    intent.target = resolve_target(job);
    if (in_path.has_filename() && out.before.channels == 1 && intent.target.name == "podcast")
        intent.target.loudness_lufs = intent::load_target("podcast").mono_loudness_lufs;
    const auto genre_choice = choose_genre(job.genre, out.before);
    const intent::GenreProfile profile = intent::load_genre(genre_choice.name);
    // A guessed genre whose curve is far from the mix is no target to EQ toward: then the tone
    // is left as mixed, and the report says why.
    constexpr double k_confident_genre_distance = 4.0;
    const bool confident =
        !job.genre.empty() || genre_choice.distance <= k_confident_genre_distance;
    if (confident) intent.tonal_target = tonal_target(profile);
    intent.tonal_target_name = fmt::format("the {} target curve", profile.name);
    if (job.reference) {
        plan::ReferenceMatch ref;
        ref.path = job.reference->string();
        ref.reference = analyze_file(*job.reference).analysis;
        ref.tone = job.match_tone;
        ref.loudness = job.match_loudness;
        ref.width = job.match_width;
        ref.amount = std::clamp(job.amount_percent / 100.0, 0.0, 1.0);
        intent.reference = ref;
    }
    intent.clipper = job.clipper ? *job.clipper : intent.target.loudness_lufs > -10.0;
    intent.force = job.force;
    intent.dither = encode_options.sample_format == io::SampleFormat::pcm16;
    out.plan = plan::make_master_plan(out.before, in_path.string(), intent);
    out.plan.genre = profile.name;
    if (!confident && !job.reference)
        out.plan.decisions.push_back(
            {"master",
             "left_alone",
             {"EQ_NO_CONFIDENT_TARGET",
              fmt::format("Tone left as mixed: no genre was given and even the nearest profile "
                          "({}) is far from this mix, so there is no trustworthy target curve to "
                          "correct toward (give --genre or --ref to get tonal correction).",
                          profile.name),
              {{"genre_distance", genre_choice.distance}}}});
    if (job.genre.empty())
        out.plan.decisions.push_back(
            {"master",
             "noted",
             {"GENRE_GUESSED",
              fmt::format("No genre given: {} is the nearest profile ({}); use --genre to choose.",
                          profile.name, genre_choice.reason),
              {{"genre_distance", genre_choice.distance}}}});

    FileOutput output(job.output, encode_options, source->sample_rate_hz(), source->channels(),
                      {in_path});
    render::MasterRenderOptions options;
    options.spill_dir = job.output.has_parent_path() ? job.output.parent_path() : fs::path(".");
    fs::create_directories(options.spill_dir);
    options.progress = job.progress;
    options.source_frames = out.before.frames;
    out.render = render::render_master(*source, out.plan, output, options);
    output.commit();
    const report::MasterReportInput report_input{out.plan, out.before, out.render, in_path.string(),
                                                 job.output.string()};
    out.report = report::master_report_json(report_input);
    out.summary = report::master_report_text(report_input);
    if (job.report_path) {
        io::write_text_file(*job.report_path, out.report.dump(2) + "\n");
        auto html = *job.report_path;
        html.replace_extension(".html");
        io::write_text_file(html, report::html_report(out.report));
    }
    return out;
}

}  // namespace secondear::pipeline
