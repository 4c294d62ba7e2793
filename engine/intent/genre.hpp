#pragma once
// Genre profiles (data/genres/<name>.json, documented in docs/genres.md): what a finished mix of
// a genre tends to measure like, as targets for the planner. Every profile says where its numbers
// come from ("source"); most per-genre values are our estimates, as the docs explain.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secondear::intent {

/// ISO 266 third-octave centres from 31.5 Hz to 16 kHz (28 bands), the tonal targets' axis.
const std::vector<double>& iso_third_octave_centres_hz();

struct BusCompression {
    double ratio = 1.0;  // n:1
    double attack_ms = 0.0;
    double release_ms = 0.0;
    double gain_reduction_db = 0.0;  // typical on peaks
};

struct GenreProfile {
    std::string name;
    std::vector<std::string> aliases;
    std::string description;
    std::vector<double> tonal_target_db;  // band levels at iso_third_octave_centres_hz(), 1 kHz = 0
    double plr_min_db = 0.0;              // peak-to-loudness ratio range (true peak - integrated)
    double plr_max_db = 0.0;
    double crest_target_db = 0.0;
    double lead_vocal_offset_lu = 0.0;  // lead vocal loudness relative to the mix
    double side_mid_ratio_db = 0.0;
    double reverb_send_db = 0.0;
    double rt60_s = 0.0;
    BusCompression bus_compression;
    std::optional<BusCompression> drum_bus_compression;
    double loudness_hint_lufs = 0.0;
    std::string source;
};

/// The profile for a name or alias ("trap" -> hip-hop, "edm" -> electronic), case-insensitive.
/// Throws Error(usage) listing the names when unknown.
GenreProfile load_genre(std::string_view name_or_alias);

/// Every profile name, sorted.
std::vector<std::string> genre_names();

struct NearestGenre {
    std::string name;
    double distance = 0.0;  // dimensionless; 0 = identical to the profile
    std::string reason;  // e.g. "tonal balance 1.2 dB RMS from the rock curve; PLR 9.0 dB in range"
};

/// The profile closest to a measured mix: the spectrum's shape (third-octave band levels at
/// iso_third_octave_centres_hz(), any reference level), its PLR and its side/mid ratio.
/// Distance = RMS spectral difference (dB, 40 Hz-12.5 kHz, both curves aligned on their
/// 800 Hz-1.25 kHz mean) + PLR distance outside the profile's range / 2 + |side/mid diff| / 6.
/// PLR and side/mid are left out when not given: the plain sum of unmixed stems has neither
/// its final dynamics (nothing is compressed or limited yet) nor its final image (nothing is
/// panned yet), so only its tonal balance says anything about the style.
/// Profiles named in `ruled_out` (for example by the instruments a session holds) are skipped.
NearestGenre nearest_genre(const std::vector<double>& spectrum_third_octave_db_at_iso_centres,
                           std::optional<double> plr_db, std::optional<double> side_mid_ratio_db,
                           const std::vector<std::string>& ruled_out = {});

}  // namespace secondear::intent
