#pragma once
// Rules that turn the analysis of a stereo mix (and what the user wants) into a master chain.

#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "plan/plan.hpp"

namespace secondear::plan {

/// Which aspects of a reference to match (--match tone,loudness,width) and how far (--amount).
struct ReferenceMatch {
    analysis::Analysis reference;
    std::string path;
    bool tone = true;
    bool loudness = true;
    bool width = true;
    double amount = 1.0;  // 0..1
};

struct MasterIntent {
    Target target;
    /// Tonal target: dB per 1/3-octave band, relative (any offset); from the genre profile.
    std::vector<analysis::SpectrumBand> tonal_target;
    std::string tonal_target_name;  // e.g. "genre pop"
    /// How far a mix may sit from the tonal target before it is corrected (the spread of
    /// commercial mixes of the genre around its average curve).
    double tonal_tolerance_db = 2.5;
    /// Largest PLR (true peak to loudness, dB) the genre keeps; below it no glue compression.
    std::optional<ReferenceMatch> reference;
    bool clipper = false;
    bool force = false;
    double max_limiting_db = 6.0;
    bool dither = false;  // 16-bit output
};

/// The master plan for one input mix. Deterministic; every entry and every left-alone decision
/// carries a rationale with the evidence behind it. The limiter drive is left for the renderer
/// to find (it depends on the limiter's own behaviour), unless locked.
Plan make_master_plan(const analysis::Analysis& input, const std::string& input_path,
                      const MasterIntent& intent);

/// dB per band relative to the mean over 100 Hz-8 kHz, for comparing tonal shapes at any level.
std::vector<analysis::SpectrumBand> relative_spectrum(const std::vector<analysis::SpectrumBand>& s);

/// Mean absolute difference of two spectra (loudness-normalised, 40 Hz-16 kHz), in dB.
double tonal_distance_db(const std::vector<analysis::SpectrumBand>& a,
                         const std::vector<analysis::SpectrumBand>& b);

}  // namespace secondear::plan
