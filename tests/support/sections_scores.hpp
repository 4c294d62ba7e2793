#pragma once
// Precision, recall and F-measure of detected boundary times against reference times, for the
// section benchmarks. Matching as in mir_eval.segment.detection: each reference matches at most
// one detection within +-tolerance_s (the nearest unused one, references in time order).

#include <cmath>
#include <cstddef>
#include <vector>

namespace secondear::test::sections {

struct BoundaryScores {
    double precision = 0.0;
    double recall = 0.0;
    double f = 0.0;
    std::size_t hits = 0;
};

inline BoundaryScores score_boundaries(const std::vector<double>& detected,
                                       const std::vector<double>& reference, double tolerance_s) {
    BoundaryScores s;
    if (detected.empty() && reference.empty()) return {1.0, 1.0, 1.0, 0};
    std::vector<bool> used(detected.size(), false);
    for (double ref : reference) {
        std::size_t best = detected.size();
        double best_error = tolerance_s;
        for (std::size_t i = 0; i < detected.size(); ++i) {
            const double error = std::abs(detected[i] - ref);
            if (!used[i] && error <= best_error) {
                best = i;
                best_error = error;
            }
        }
        if (best < detected.size()) {
            used[best] = true;
            ++s.hits;
        }
    }
    if (s.hits == 0) return s;
    s.precision = static_cast<double>(s.hits) / static_cast<double>(detected.size());
    s.recall = static_cast<double>(s.hits) / static_cast<double>(reference.size());
    s.f = 2.0 * s.precision * s.recall / (s.precision + s.recall);
    return s;
}

}  // namespace secondear::test::sections
