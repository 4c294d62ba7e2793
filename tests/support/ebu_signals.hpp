#pragma once
// The synthetic signals of EBU Tech 3341 (v4, 2023) Table 1 and EBU Tech 3342 (2023) Table 1,
// generated in code from the descriptions in
// ../shared/corpus/loudness/expected_ebu_tech3341_3342_NOT_STAGED.csv (column test_signal).
// Tones are 1 kHz sines whose peak per channel is the stated dBFS; the phase runs on through
// silences (one oscillator per file). The EBU files are 48 kHz, the default here.
// Not covered: 3341 cases 7 and 8 (authentic programme) and 20-23 (made at 4 fs, low-passed and
// decimated with an unpublished filter), 3342 cases 5 and 6 (the same programme files).

#include "core/audio_buffer.hpp"

namespace secondear::test::ebu {

constexpr double k_ebu_rate_hz = 48000.0;

/// Tech 3341 cases 1-6, 9, 11, 12 and 14-19. Case 6 has five channels in the order
/// L, R, C, Ls, Rs; all others are stereo.
AudioBuffer tech3341(int case_number, double sample_rate_hz = k_ebu_rate_hz);

/// Tech 3341 cases 10 and 13 come as 20 files, one per segment (segment 0..19).
AudioBuffer tech3341_segment(int case_number, int segment, double sample_rate_hz = k_ebu_rate_hz);

/// Tech 3342 cases 1-4 (stereo tone sequences).
AudioBuffer tech3342(int case_number, double sample_rate_hz = k_ebu_rate_hz);

}  // namespace secondear::test::ebu
