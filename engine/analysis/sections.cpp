#include "analysis/sections.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace secondear::analysis {
namespace {

constexpr double k_fallback_beat_s = 0.5;       // grid when there is no pulse: 120 BPM
constexpr double k_loudness_scale_lu = 6.0;     // loudness similarity exp(-|dL| / 6 LU)
constexpr double k_silence_floor_lufs = -70.0;  // BS.1770 absolute gate
constexpr double k_density_range_db = 30.0;
constexpr double k_snap_beats = 0.5;    // a refined boundary this close to a downbeat moves to it
constexpr double k_contrast_lu = 6.0;   // drop and breakdown energy rules
constexpr double k_build_dip_lu = 3.0;  // a pre-chorus builds: at most this far below the verse

struct Grid {
    std::vector<double> points;  // segment starts, then the end: points.size() = segments + 1
    std::vector<bool> downbeat;  // per segment start
    std::vector<double> bars_s;  // bar starts
    int beats_per_bar = 4;
};

Grid make_grid(const TempoResult& tempo, double duration_s) {
    Grid g;
    std::vector<double> beats = tempo.beats_s, downbeats = tempo.downbeats_s;
    g.beats_per_bar = tempo.beats_per_bar > 0 ? tempo.beats_per_bar : 4;
    if (tempo.tempo_bpm <= 0.0 || beats.size() < static_cast<std::size_t>(2 * g.beats_per_bar) ||
        downbeats.empty()) {
        beats.clear();
        downbeats.clear();
        g.beats_per_bar = 4;
        for (int i = 0; i * k_fallback_beat_s < duration_s; ++i) {
            beats.push_back(i * k_fallback_beat_s);
            if (i % g.beats_per_bar == 0) downbeats.push_back(i * k_fallback_beat_s);
        }
    }
    g.points.push_back(0.0);
    for (double b : beats)
        if (b > g.points.back() + 1e-6 && b < duration_s - 1e-6) g.points.push_back(b);
    g.points.push_back(duration_s);
    std::size_t d = 0;
    for (std::size_t j = 0; j + 1 < g.points.size(); ++j) {
        while (d < downbeats.size() && downbeats[d] < g.points[j] - 1e-6) ++d;
        g.downbeat.push_back(d < downbeats.size() && std::abs(downbeats[d] - g.points[j]) < 1e-6);
    }
    // A downbeat less than a beat before the end starts no bar.
    const double beat_s = beats.size() > 1 ? beats[1] - beats[0] : k_fallback_beat_s;
    for (double b : downbeats)
        if (b >= 0.0 && b < duration_s - 0.5 * beat_s) g.bars_s.push_back(b);
    if (g.bars_s.empty()) g.bars_s.push_back(0.0);
    return g;
}

// Frames whose centre lies in [a, b); at least the nearest one.
std::pair<std::size_t, std::size_t> frame_range(double a, double b, double hop_s,
                                                std::size_t count) {
    auto lo = static_cast<std::size_t>(std::max(0.0, std::ceil(a / hop_s - 1e-9)));
    auto hi = static_cast<std::size_t>(std::max(0.0, std::ceil(b / hop_s - 1e-9)));
    lo = std::min(lo, count - 1);
    hi = std::clamp(hi, lo + 1, count);
    return {lo, hi};
}

double frame_density(const std::array<float, k_timbre_bands>& bands) {
    const float top = *std::max_element(bands.begin(), bands.end());
    if (top <= -100.0f) return 0.0;
    const auto filled = std::count_if(bands.begin(), bands.end(), [&](float v) {
        return v >= top - static_cast<float>(k_density_range_db);
    });
    return static_cast<double>(filled) / k_timbre_bands;
}

using Matrix = std::vector<std::vector<double>>;

struct Similarities {
    Matrix timbre_chroma;  // segmentation kernel: mean of the chroma and timbre kernels
    Matrix all;            // labels: mean of chroma, timbre and loudness
};

Similarities similarity(const SpectralFrames& f, const Grid& g) {
    const std::size_t m = g.points.size() - 1;
    std::vector<std::array<double, k_pitch_classes>> chroma(m);
    std::vector<std::array<double, k_timbre_bands>> timbre(m);
    std::vector<double> loud(m);
    for (std::size_t j = 0; j < m; ++j) {
        const auto [lo, hi] = frame_range(g.points[j], g.points[j + 1], f.hop_s, f.frames());
        chroma[j].fill(0.0);
        timbre[j].fill(0.0);
        double power = 0.0;
        for (std::size_t t = lo; t < hi; ++t) {
            for (std::size_t p = 0; p < k_pitch_classes; ++p) chroma[j][p] += f.chroma[t][p];
            for (std::size_t b = 0; b < k_timbre_bands; ++b) timbre[j][b] += f.band_db[t][b];
            power += f.k_weighted_power[t];
        }
        const double frames = static_cast<double>(hi - lo);
        for (double& v : timbre[j]) v /= frames;
        const double norm = std::sqrt(
            std::inner_product(chroma[j].begin(), chroma[j].end(), chroma[j].begin(), 0.0));
        if (norm > 0.0)
            for (double& v : chroma[j]) v /= norm;
        loud[j] = std::max(k_silence_floor_lufs, k_power_to_lufs(power / frames));
    }
    for (std::size_t b = 0; b < k_timbre_bands; ++b) {  // z-score each band over the song
        double mean = 0.0, sq = 0.0;
        for (const auto& t : timbre) mean += t[b];
        mean /= static_cast<double>(m);
        for (const auto& t : timbre) sq += (t[b] - mean) * (t[b] - mean);
        const double sd = std::sqrt(sq / static_cast<double>(m));
        for (auto& t : timbre) t[b] = sd > 1e-9 ? (t[b] - mean) / sd : 0.0;
    }
    Matrix dist(m, std::vector<double>(m, 0.0));
    std::vector<double> all;
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j) {
            double d2 = 0.0;
            for (std::size_t b = 0; b < k_timbre_bands; ++b)
                d2 += (timbre[i][b] - timbre[j][b]) * (timbre[i][b] - timbre[j][b]);
            dist[i][j] = dist[j][i] = std::sqrt(d2);
            all.push_back(dist[i][j]);
        }
    double median = 1.0;
    if (!all.empty()) {
        std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(all.size() / 2),
                         all.end());
        median = std::max(1e-9, all[all.size() / 2]);
    }
    Similarities s{Matrix(m, std::vector<double>(m, 1.0)), Matrix(m, std::vector<double>(m, 1.0))};
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j) {
            const double sc =
                std::inner_product(chroma[i].begin(), chroma[i].end(), chroma[j].begin(), 0.0);
            const double st = std::exp(-0.5 * dist[i][j] * dist[i][j] / (median * median));
            const double sl = std::exp(-std::abs(loud[i] - loud[j]) / k_loudness_scale_lu);
            s.timbre_chroma[i][j] = s.timbre_chroma[j][i] = 0.5 * (sc + st);
            s.all[i][j] = s.all[j][i] = (sc + st + sl) / 3.0;
        }
    return s;
}

// Foote's checkerboard: weighted mean similarity within the past and within the future
// (diagonal excluded), minus the weighted mean across the boundary at segment i.
std::vector<double> novelty(const Matrix& s, int half) {
    const auto m = static_cast<std::ptrdiff_t>(s.size());
    std::vector<double> out(s.size(), 0.0);
    const double sigma = 0.5 * half;
    std::vector<double> taper(static_cast<std::size_t>(2 * half));
    for (int k = 0; k < 2 * half; ++k) {
        const double x = (k - half + 0.5) / sigma;  // distance from the boundary
        taper[static_cast<std::size_t>(k)] = std::exp(-0.5 * x * x);
    }
    for (std::ptrdiff_t i = 1; i < m; ++i) {
        double within = 0.0, within_w = 0.0, across = 0.0, across_w = 0.0;
        for (int a = 0; a < 2 * half; ++a) {
            const std::ptrdiff_t ia = i - half + a;
            if (ia < 0 || ia >= m) continue;
            for (int b = 0; b < 2 * half; ++b) {
                const std::ptrdiff_t ib = i - half + b;
                if (ib < 0 || ib >= m || ia == ib) continue;
                const double w =
                    taper[static_cast<std::size_t>(a)] * taper[static_cast<std::size_t>(b)];
                const double v = s[static_cast<std::size_t>(ia)][static_cast<std::size_t>(ib)];
                if ((ia < i) == (ib < i)) {
                    within += w * v;
                    within_w += w;
                } else {
                    across += w * v;
                    across_w += w;
                }
            }
        }
        if (within_w > 0.0 && across_w > 0.0)
            out[static_cast<std::size_t>(i)] = within / within_w - across / across_w;
    }
    return out;
}

struct Boundary {
    double time_s;
    double strength;  // 0..1
};

// A beat-level peak on a downbeat stays there. Otherwise it is refined to the frame (within a
// beat either side) where the mean band levels of the beat before and the beat after differ
// most, and the result moves to a neighbouring downbeat within k_snap_beats of it (joins off
// the bar grid, e.g. edits between songs, stay where they are).
double place_boundary(const SpectralFrames& f, const Grid& g, std::size_t i) {
    if (g.downbeat[i]) return g.points[i];
    const std::size_t segments = g.points.size() - 1;
    const double lo_s = g.points[i - 1];
    const double hi_s = g.points[std::min(i + 1, segments)];
    const double beat_s = 0.5 * (hi_s - lo_s);
    const auto w = static_cast<std::size_t>(std::max(1.0, std::round(beat_s / f.hop_s)));
    const std::size_t n = f.frames();
    auto [first, last] = frame_range(lo_s, hi_s, f.hop_s, n);
    double best = -1.0, best_t = g.points[i];
    for (std::size_t t = std::max(first, w); t < last && t + w <= n; ++t) {
        double d2 = 0.0;
        for (std::size_t b = 0; b < k_timbre_bands; ++b) {
            double before = 0.0, after = 0.0;
            for (std::size_t k = 0; k < w; ++k) {
                before += f.band_db[t - 1 - k][b];
                after += f.band_db[t + k][b];
            }
            const double d = (after - before) / static_cast<double>(w);
            d2 += d * d;
        }
        if (d2 > best) {
            best = d2;
            best_t = static_cast<double>(t) * f.hop_s;
        }
    }
    double snapped = best_t, nearest = k_snap_beats * beat_s;
    for (std::size_t j = i - 1; j <= std::min(i + 1, segments - 1); ++j)
        if (g.downbeat[j] && std::abs(g.points[j] - best_t) <= nearest) {
            nearest = std::abs(g.points[j] - best_t);
            snapped = g.points[j];
        }
    return snapped;
}

// Kernel change-point detection (Z. Harchaoui and O. Cappe, "Retrospective multiple
// change-point estimation with kernels", 2007; S. Arlot, A. Celisse and Z. Harchaoui, "A kernel
// multiple change-point algorithm via model selection", JMLR 20, 2019). The similarity matrix is
// a kernel (a mean of positive definite kernels: cosine of non-negative chroma, a Gaussian and a
// Laplacian), and a segment [a, b) costs its within-segment scatter in the kernel's feature
// space: sum_i k(i, i) - (1 / (b - a)) sum_{i, j} k(i, j). Dynamic programming gives the least
// total cost cost[d] for every number of segments d, with every segment at least min_len long.
struct Segmentations {
    std::vector<double> cost;                      // cost[d - 1]: best cost with d segments
    std::vector<std::vector<std::size_t>> starts;  // starts[d - 1]: inner segment starts
};

Segmentations segment(const Matrix& k, std::size_t min_len, std::size_t max_segments) {
    const std::size_t m = k.size();
    Segmentations out;
    if (m == 0 || min_len == 0) return out;
    // 2-D prefix sums: block(a, b) = sum of k over [a, b) x [a, b) in O(1).
    std::vector<std::vector<double>> p(m + 1, std::vector<double>(m + 1, 0.0));
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < m; ++j)
            p[i + 1][j + 1] = k[i][j] + p[i][j + 1] + p[i + 1][j] - p[i][j];
    auto cost = [&](std::size_t a, std::size_t b) {
        const double block = p[b][b] - p[a][b] - p[b][a] + p[a][a];
        const double trace = static_cast<double>(b - a);  // k(i, i) = 1
        return trace - block / static_cast<double>(b - a);
    };
    const double inf = std::numeric_limits<double>::infinity();
    const std::size_t d_max = std::max<std::size_t>(1, std::min(max_segments, m / min_len));
    std::vector<double> prev(m + 1, inf), cur(m + 1, inf);
    std::vector<std::vector<std::size_t>> from(d_max, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t b = min_len; b <= m; ++b) prev[b] = cost(0, b);
    out.cost.push_back(prev[m]);
    out.starts.emplace_back();
    for (std::size_t d = 2; d <= d_max; ++d) {
        std::fill(cur.begin(), cur.end(), inf);
        for (std::size_t b = d * min_len; b <= m; ++b)
            for (std::size_t a = (d - 1) * min_len; a + min_len <= b; ++a) {
                if (prev[a] == inf) continue;
                const double c = prev[a] + cost(a, b);
                if (c < cur[b]) {
                    cur[b] = c;
                    from[d - 1][b] = a;
                }
            }
        if (cur[m] == inf) break;
        std::vector<std::size_t> starts;
        for (std::size_t dd = d, b = m; dd > 1; --dd) {
            b = from[dd - 1][b];
            starts.push_back(b);
        }
        std::reverse(starts.begin(), starts.end());
        out.cost.push_back(cur[m]);
        out.starts.push_back(std::move(starts));
        std::swap(prev, cur);
    }
    return out;
}

// Penalty for d segments over n beats (E. Lebarbier, "Detecting multiple change-points in the
// mean of Gaussian process by model selection", Signal Processing 85, 2005; the shape Arlot,
// Celisse and Harchaoui use for kernel change points): sigma^2 d (5 + 2 log(n / d)), with the
// published constants. The log term prices the choice of where the boundaries go. sigma^2, the
// noise variance in the kernel's feature space, comes from successive differences (J. Rice,
// "Bandwidth choice for nonparametric regression", Annals of Statistics 12, 1984), which a few
// boundaries barely bias: ||phi_i - phi_{i+1}||^2 / 2 = 1 - k(i, i + 1) since k(i, i) = 1.
double lebarbier_penalty(double sigma2, std::size_t beats, std::size_t segments) {
    const double d = static_cast<double>(segments);
    return sigma2 * d * (5.0 + 2.0 * std::log(static_cast<double>(beats) / d));
}

// The number of boundaries minimises the segmentation cost plus the penalty; each boundary is
// then placed finely (place_boundary) and its strength is the checkerboard novelty there
// relative to the song's strongest.
std::vector<Boundary> pick_boundaries(const SpectralFrames& f, const Matrix& k,
                                      const std::vector<double>& nov, const Grid& g,
                                      const SectionOptions& opt) {
    const std::size_t m = k.size();
    const auto bpb = static_cast<std::size_t>(g.beats_per_bar);
    // 0.9: beat-tracking jitter (a skipped or extra beat) must not forbid a section of exactly
    // min_section_bars bars.
    const auto min_len = std::max<std::size_t>(
        1, static_cast<std::size_t>(
               std::floor(0.9 * static_cast<double>(opt.min_section_bars * bpb))));
    const Segmentations found = segment(k, min_len, m);
    if (found.cost.empty() || m < 2) return {};
    double sigma2 = 0.0;
    for (std::size_t i = 0; i + 1 < m; ++i) sigma2 += 1.0 - k[i][i + 1];
    sigma2 /= static_cast<double>(m - 1);
    if (sigma2 <= 1e-12) return {};  // identical beats: one section (rounding must not split it)
    // found.cost[d] is the cost with d + 1 segments.
    auto criterion = [&](std::size_t d) {
        return found.cost[d] + lebarbier_penalty(sigma2, m, d + 1);
    };
    std::size_t best = 0;
    for (std::size_t d = 1; d < found.cost.size(); ++d)
        if (criterion(d) < criterion(best)) best = d;
    const double top = std::max(1e-12, *std::max_element(nov.begin(), nov.end()));
    std::vector<Boundary> chosen;
    for (std::size_t i : found.starts[best]) {
        double peak = nov[i];  // the novelty near the boundary (within a beat)
        if (i > 0) peak = std::max(peak, nov[i - 1]);
        if (i + 1 < m) peak = std::max(peak, nov[i + 1]);
        chosen.push_back({place_boundary(f, g, i), std::clamp(peak / top, 0.0, 1.0)});
    }
    return chosen;
}

struct Measures {
    std::vector<double> bar_energy_lufs, bar_density, frame_density;
};

Measures measure_bars(const SpectralFrames& f, const std::vector<double>& bars, double duration) {
    Measures out;
    out.frame_density.resize(f.frames());
    for (std::size_t t = 0; t < f.frames(); ++t) out.frame_density[t] = frame_density(f.band_db[t]);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double end = i + 1 < bars.size() ? bars[i + 1] : duration;
        const auto [lo, hi] = frame_range(bars[i], end, f.hop_s, f.frames());
        double power = 0.0, density = 0.0;
        for (std::size_t t = lo; t < hi; ++t) {
            power += f.k_weighted_power[t];
            density += out.frame_density[t];
        }
        out.bar_energy_lufs.push_back(k_power_to_lufs(power / static_cast<double>(hi - lo)));
        out.bar_density.push_back(density / static_cast<double>(hi - lo));
    }
    return out;
}

void fill_measures(Section& s, const SpectralFrames& f, const Measures& m,
                   const std::vector<double>& bars) {
    const auto upper = std::upper_bound(bars.begin(), bars.end(), s.start_s + 1e-6);
    s.start_bar = upper == bars.begin() ? 0 : static_cast<int>(upper - bars.begin() - 1);
    double sum = 0.0;
    int count = 0;
    for (std::size_t i = 0; i < bars.size(); ++i)
        if (bars[i] >= s.start_s - 1e-6 && bars[i] < s.end_s - 1e-6 &&
            std::isfinite(m.bar_energy_lufs[i])) {
            sum += m.bar_energy_lufs[i];
            ++count;
        }
    const auto [lo, hi] = frame_range(s.start_s, s.end_s, f.hop_s, f.frames());
    if (count > 0) {
        s.energy_lufs = sum / count;
    } else {  // shorter than a bar: its own loudness
        double power = 0.0;
        for (std::size_t t = lo; t < hi; ++t) power += f.k_weighted_power[t];
        s.energy_lufs = k_power_to_lufs(power / static_cast<double>(hi - lo));
    }
    double density = 0.0;
    for (std::size_t t = lo; t < hi; ++t) density += m.frame_density[t];
    s.density = density / static_cast<double>(hi - lo);
}

// Relative similarity of sections: mean cross-similarity over the geometric mean of the
// within-section means.
Matrix section_similarity(const Matrix& s, const Grid& g, const std::vector<Section>& sections) {
    const std::size_t n = sections.size();
    std::vector<std::pair<std::size_t, std::size_t>> span(n);
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t lo = 0, hi = 0;
        for (std::size_t j = 0; j + 1 < g.points.size(); ++j) {
            if (g.points[j] < sections[k].start_s - 1e-6) lo = j + 1;
            if (g.points[j] < sections[k].end_s - 1e-6) hi = j + 1;
        }
        span[k] = {lo, std::max(hi, lo + 1)};
    }
    Matrix raw(n, std::vector<double>(n, 0.0));
    for (std::size_t p = 0; p < n; ++p)
        for (std::size_t q = p; q < n; ++q) {
            double sum = 0.0;
            for (std::size_t i = span[p].first; i < span[p].second; ++i)
                for (std::size_t j = span[q].first; j < span[q].second; ++j) sum += s[i][j];
            const double cells = static_cast<double>((span[p].second - span[p].first) *
                                                     (span[q].second - span[q].first));
            raw[p][q] = raw[q][p] = sum / cells;
        }
    Matrix rel(n, std::vector<double>(n, 1.0));
    for (std::size_t p = 0; p < n; ++p)
        for (std::size_t q = 0; q < n; ++q)
            if (p != q) rel[p][q] = raw[p][q] / std::sqrt(raw[p][p] * raw[q][q]);
    return rel;
}

// Average-linkage agglomerative clustering; returns a cluster id per section.
std::vector<int> cluster(const Matrix& rel, double threshold) {
    const std::size_t n = rel.size();
    std::vector<std::vector<std::size_t>> groups(n);
    for (std::size_t k = 0; k < n; ++k) groups[k] = {k};
    for (;;) {
        double best = threshold;
        std::size_t ba = n, bb = n;
        for (std::size_t a = 0; a < groups.size(); ++a)
            for (std::size_t b = a + 1; b < groups.size(); ++b) {
                double sum = 0.0;
                for (std::size_t x : groups[a])
                    for (std::size_t y : groups[b]) sum += rel[x][y];
                const double mean = sum / static_cast<double>(groups[a].size() * groups[b].size());
                if (mean >= best) {
                    best = mean;
                    ba = a;
                    bb = b;
                }
            }
        if (ba == n) break;
        groups[ba].insert(groups[ba].end(), groups[bb].begin(), groups[bb].end());
        groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(bb));
    }
    std::vector<int> id(n, 0);
    std::sort(groups.begin(), groups.end(),  // ids in order of first appearance
              [](const auto& a, const auto& b) {
                  return *std::min_element(a.begin(), a.end()) <
                         *std::min_element(b.begin(), b.end());
              });
    for (std::size_t c = 0; c < groups.size(); ++c)
        for (std::size_t k : groups[c]) id[k] = static_cast<int>(c);
    return id;
}

void label_sections(std::vector<Section>& sections, const Matrix& rel, const std::vector<int>& id,
                    const std::vector<double>& boundary_strength) {
    const std::size_t n = sections.size();
    const int clusters = n == 0 ? 0 : *std::max_element(id.begin(), id.end()) + 1;
    std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(clusters));
    for (std::size_t k = 0; k < n; ++k) members[static_cast<std::size_t>(id[k])].push_back(k);
    auto mean_energy = [&](const std::vector<std::size_t>& ks) {
        double s = 0.0;
        for (std::size_t k : ks) s += std::max(k_silence_floor_lufs, sections[k].energy_lufs);
        return s / static_cast<double>(ks.size());
    };
    auto edge_only = [&](const std::vector<std::size_t>& ks) {
        return std::all_of(ks.begin(), ks.end(),
                           [&](std::size_t k) { return k == 0 || k + 1 == n; });
    };
    int chorus = -1, verse = -1;
    for (int c = 0; c < clusters; ++c) {
        const auto& ks = members[static_cast<std::size_t>(c)];
        if (ks.size() < 2 || edge_only(ks)) continue;
        if (chorus < 0 || mean_energy(ks) > mean_energy(members[static_cast<std::size_t>(chorus)]))
            chorus = c;
    }
    for (int c = 0; c < clusters; ++c) {
        const auto& ks = members[static_cast<std::size_t>(c)];
        if (c == chorus || ks.size() < 2 || edge_only(ks)) continue;
        if (chorus >= 0 &&
            mean_energy(ks) >= mean_energy(members[static_cast<std::size_t>(chorus)]))
            continue;
        if (verse < 0 || ks.size() > members[static_cast<std::size_t>(verse)].size()) verse = c;
    }
    // Without a repeated cluster, the loudest section stands in for the chorus level.
    double chorus_lufs = k_silence_floor_lufs, verse_lufs = k_silence_floor_lufs;
    if (chorus >= 0) {
        chorus_lufs = mean_energy(members[static_cast<std::size_t>(chorus)]);
    } else {
        for (const auto& s : sections) chorus_lufs = std::max(chorus_lufs, s.energy_lufs);
    }
    verse_lufs = verse >= 0 ? mean_energy(members[static_cast<std::size_t>(verse)])
                            : chorus_lufs - k_contrast_lu;

    const double duration = n ? sections.back().end_s : 0.0;
    std::vector<double> label_certainty(n, 0.5);
    for (std::size_t k = 0; k < n; ++k) {
        auto& s = sections[k];
        const double e = std::max(k_silence_floor_lufs, s.energy_lufs);
        const int c = id[k];
        if (c == chorus || c == verse) {
            s.label = c == chorus ? "chorus" : "verse";
            double sum = 0.0;
            int others = 0;
            for (std::size_t j : members[static_cast<std::size_t>(c)])
                if (j != k) {
                    sum += rel[k][j];
                    ++others;
                }
            label_certainty[k] = others ? std::clamp(sum / others, 0.0, 1.0) : 0.5;
            continue;
        }
        const bool before_chorus = k + 1 < n && id[k + 1] == chorus;
        const double prev_e =
            k > 0 ? std::max(k_silence_floor_lufs, sections[k - 1].energy_lufs) : e;
        if (k == 0 && n > 1) {
            s.label = "intro";
            label_certainty[k] =
                std::clamp(0.5 + (chorus_lufs - e) / (2.0 * k_contrast_lu), 0.0, 1.0);
        } else if (k + 1 == n && n > 1) {
            s.label = "outro";
            label_certainty[k] =
                std::clamp(0.5 + (chorus_lufs - e) / (2.0 * k_contrast_lu), 0.0, 1.0);
        } else if (before_chorus &&
                   (s.end_s - s.start_s) <=
                       0.5 * (sections[k + 1].end_s - sections[k + 1].start_s) + 1e-6 &&
                   e <= std::max(k_silence_floor_lufs, sections[k + 1].energy_lufs) &&
                   e >= verse_lufs - k_build_dip_lu) {
            s.label = "pre-chorus";
            label_certainty[k] = 0.7;
        } else if (e >= chorus_lufs - 1.0 && e - prev_e >= k_contrast_lu) {
            s.label = "drop";
            label_certainty[k] = std::clamp((e - prev_e) / (2.0 * k_contrast_lu), 0.0, 1.0);
        } else if (s.start_s >= 0.5 * duration &&
                   e < verse_lufs + 0.5 * (chorus_lufs - verse_lufs)) {
            const double below = chorus_lufs - e;
            s.label = below >= k_contrast_lu ? "breakdown" : "bridge";
            label_certainty[k] =
                std::clamp(0.5 + std::abs(below - k_contrast_lu) / (2.0 * k_contrast_lu), 0.0, 1.0);
        } else {
            const bool nearer_chorus = std::abs(e - chorus_lufs) < std::abs(e - verse_lufs);
            s.label = nearer_chorus ? "chorus" : "verse";
            label_certainty[k] = 0.3;
        }
    }
    for (std::size_t k = 0; k < n; ++k)
        sections[k].confidence = 0.5 * (boundary_strength[k] + label_certainty[k]);
}

}  // namespace

SectionMap find_sections(const AudioBuffer& audio, const TempoResult& tempo,
                         const SectionOptions& options) {
    return find_sections(compute_spectral_frames(audio), audio.duration_s(), tempo, options);
}

SectionMap find_sections(const SpectralFrames& frames, double duration_s, const TempoResult& tempo,
                         const SectionOptions& options) {
    SectionMap out;
    if (frames.frames() == 0 || duration_s <= 0.0) return out;
    const Grid grid = make_grid(tempo, duration_s);
    out.bar_times_s = grid.bars_s;
    const Measures measures = measure_bars(frames, grid.bars_s, duration_s);
    out.bar_energy_lufs = measures.bar_energy_lufs;
    out.bar_density = measures.bar_density;

    const Similarities s = similarity(frames, grid);
    const int half = std::max(1, options.kernel_bars * grid.beats_per_bar);
    const auto boundaries =
        pick_boundaries(frames, s.timbre_chroma, novelty(s.timbre_chroma, half), grid, options);

    std::vector<Section> detected;
    std::vector<double> strength;
    double start = 0.0, start_strength = 1.0;
    for (std::size_t k = 0; k <= boundaries.size(); ++k) {
        const double end = k < boundaries.size() ? boundaries[k].time_s : duration_s;
        Section sec;
        sec.start_s = start;
        sec.end_s = end;
        fill_measures(sec, frames, measures, grid.bars_s);
        detected.push_back(sec);
        strength.push_back(start_strength);
        if (k < boundaries.size()) {
            start = end;
            start_strength = boundaries[k].strength;
        }
    }
    const Matrix rel = section_similarity(s.all, grid, detected);
    label_sections(detected, rel, cluster(rel, options.cluster_similarity), strength);

    if (options.given.empty()) {
        out.sections = std::move(detected);
        return out;
    }
    // User-given sections win: clip detected sections around them (pieces shorter than a bar,
    // or than 1 s without bars, are dropped) and fill what the user left out.
    const double min_piece_s =
        grid.bars_s.size() > 1 ? 0.9 * (grid.bars_s[1] - grid.bars_s[0]) : 1.0;
    std::vector<Section> given = options.given;
    std::sort(given.begin(), given.end(),
              [](const Section& a, const Section& b) { return a.start_s < b.start_s; });
    for (auto& g : given) {
        g.start_s = std::clamp(g.start_s, 0.0, duration_s);
        g.end_s = std::clamp(g.end_s, g.start_s, duration_s);
        if (g.label.empty()) {
            double best_overlap = 0.0;
            for (const auto& d : detected) {
                const double overlap = std::min(d.end_s, g.end_s) - std::max(d.start_s, g.start_s);
                if (overlap > best_overlap) {
                    best_overlap = overlap;
                    g.label = d.label;
                }
            }
        }
        if (g.confidence <= 0.0) g.confidence = 1.0;
        fill_measures(g, frames, measures, grid.bars_s);
        out.sections.push_back(g);
    }
    for (const auto& d : detected) {
        std::vector<std::pair<double, double>> pieces = {{d.start_s, d.end_s}};
        for (const auto& g : given) {
            std::vector<std::pair<double, double>> next;
            for (const auto& [a, b] : pieces) {
                if (g.end_s <= a || g.start_s >= b) {
                    next.emplace_back(a, b);
                    continue;
                }
                if (g.start_s > a) next.emplace_back(a, g.start_s);
                if (g.end_s < b) next.emplace_back(g.end_s, b);
            }
            pieces = std::move(next);
        }
        for (const auto& [a, b] : pieces) {
            if (b - a < min_piece_s) continue;
            Section piece = d;
            piece.start_s = a;
            piece.end_s = b;
            fill_measures(piece, frames, measures, grid.bars_s);
            out.sections.push_back(piece);
        }
    }
    std::sort(out.sections.begin(), out.sections.end(),
              [](const Section& a, const Section& b) { return a.start_s < b.start_s; });
    // Dropped slivers leave gaps: a detected neighbour stretches over them.
    auto is_given = [&](const Section& sec) {
        return std::any_of(given.begin(), given.end(), [&](const Section& gs) {
            return gs.start_s == sec.start_s && gs.end_s == sec.end_s && gs.label == sec.label;
        });
    };
    auto& secs = out.sections;
    if (!secs.empty() && secs.front().start_s > 0.0 && !is_given(secs.front()))
        secs.front().start_s = 0.0;
    if (!secs.empty() && secs.back().end_s < duration_s && !is_given(secs.back()))
        secs.back().end_s = duration_s;
    for (std::size_t k = 0; k + 1 < secs.size(); ++k) {
        if (secs[k].end_s >= secs[k + 1].start_s) continue;
        if (!is_given(secs[k]))
            secs[k].end_s = secs[k + 1].start_s;
        else if (!is_given(secs[k + 1]))
            secs[k + 1].start_s = secs[k].end_s;
    }
    for (auto& sec : secs)
        if (!is_given(sec)) fill_measures(sec, frames, measures, grid.bars_s);
    return out;
}

std::vector<std::vector<bool>> activity_per_bar(const std::vector<const AudioBuffer*>& stems,
                                                const std::vector<double>& bar_times_s,
                                                double threshold_below_peak_db) {
    std::vector<std::vector<bool>> out;
    for (const AudioBuffer* stem : stems) {
        std::vector<bool> active(bar_times_s.size(), false);
        if (stem == nullptr || stem->frames() == 0 || bar_times_s.empty()) {
            out.push_back(std::move(active));
            continue;
        }
        const auto power = k_weighted_power_in_spans(*stem, bar_times_s);
        std::vector<double> lufs(power.size());
        for (std::size_t i = 0; i < power.size(); ++i) lufs[i] = k_power_to_lufs(power[i]);
        const double peak = *std::max_element(lufs.begin(), lufs.end());
        for (std::size_t i = 0; i < lufs.size(); ++i)
            active[i] = std::isfinite(lufs[i]) && lufs[i] > k_silence_floor_lufs &&
                        lufs[i] >= peak - threshold_below_peak_db;
        out.push_back(std::move(active));
    }
    return out;
}

}  // namespace secondear::analysis
