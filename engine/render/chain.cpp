#include "render/chain.hpp"

#include <algorithm>

namespace secondear::render {
namespace {

template <class P, class Params>
AnyProcessor configured(const Params& params) {
    P p;
    p.set_params(params);
    return AnyProcessor(std::move(p));
}

}  // namespace

AnyProcessor make_processor(const plan::ProcessorParams& params, double sample_rate_hz) {
    (void)sample_rate_hz;  // validation against the rate happens in prepare()/set_params
    return std::visit(
        [](const auto& p) -> AnyProcessor {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, dsp::EqParams>)
                return configured<dsp::Equalizer>(p);
            else if constexpr (std::is_same_v<T, dsp::CompressorParams>)
                return configured<dsp::Compressor>(p);
            else if constexpr (std::is_same_v<T, dsp::GateParams>)
                return configured<dsp::Gate>(p);
            else if constexpr (std::is_same_v<T, dsp::DeesserParams>)
                return configured<dsp::Deesser>(p);
            else if constexpr (std::is_same_v<T, dsp::GainParams>)
                return configured<dsp::GainStage>(p);
            else if constexpr (std::is_same_v<T, dsp::LimiterParams>)
                return configured<dsp::TruePeakLimiter>(p);
            else if constexpr (std::is_same_v<T, dsp::SaturationParams>)
                return configured<dsp::Saturation>(p);
            else if constexpr (std::is_same_v<T, dsp::WidthParams>)
                return configured<dsp::StereoWidth>(p);
            else if constexpr (std::is_same_v<T, dsp::DitherParams>)
                return configured<dsp::TpdfDither>(p);
            else if constexpr (std::is_same_v<T, dsp::ReverbParams>)
                return configured<dsp::Reverb>(p);
            else
                return configured<dsp::StereoDelay>(p);
        },
        params);
}

Chain::Chain(const std::vector<plan::ProcessorEntry>& entries, const dsp::ProcessSpec& spec) {
    for (const auto& e : entries) {
        if (!e.enabled) continue;
        processors_.push_back(make_processor(e.params, spec.sample_rate_hz));
        processors_.back().prepare(spec);
        ids_.push_back(e.id);
    }
}

int Chain::latency_frames() const noexcept {
    int total = 0;
    for (const auto& p : processors_) total += p.latency_frames();
    return total;
}

int Chain::tail_frames() const noexcept {
    int tail = 0;
    for (const auto& p : processors_) tail = std::max(tail, p.tail_frames());
    return tail;
}

std::vector<std::pair<std::string, analysis::Evidence>> Chain::stats() const {
    std::vector<std::pair<std::string, analysis::Evidence>> out;
    for (std::size_t i = 0; i < processors_.size(); ++i)
        out.emplace_back(ids_[i], processors_[i].stats());
    return out;
}

}  // namespace secondear::render
