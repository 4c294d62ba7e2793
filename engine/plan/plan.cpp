#include "plan/plan.hpp"

namespace secondear::plan {

std::string processor_type(const ProcessorParams& params) {
    return std::visit(
        [](const auto& p) -> std::string {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, dsp::EqParams>)
                return "eq";
            else if constexpr (std::is_same_v<T, dsp::CompressorParams>)
                return "compressor";
            else if constexpr (std::is_same_v<T, dsp::GateParams>)
                return "gate";
            else if constexpr (std::is_same_v<T, dsp::DeesserParams>)
                return "deesser";
            else if constexpr (std::is_same_v<T, dsp::GainParams>)
                return "gain";
            else if constexpr (std::is_same_v<T, dsp::LimiterParams>)
                return "limiter";
            else if constexpr (std::is_same_v<T, dsp::SaturationParams>)
                return "saturation";
            else if constexpr (std::is_same_v<T, dsp::WidthParams>)
                return "width";
            else if constexpr (std::is_same_v<T, dsp::DitherParams>)
                return "dither";
            else if constexpr (std::is_same_v<T, dsp::ReverbParams>)
                return "reverb";
            else
                return "delay";
        },
        params);
}

}  // namespace secondear::plan
