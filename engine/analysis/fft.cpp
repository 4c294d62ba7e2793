// The only includer of <fftw3.h>.
#include "analysis/fft.hpp"

#include <fftw3.h>

#include <algorithm>
#include <mutex>

namespace secondear::analysis {
namespace {
// FFTW's planner is not thread safe; everything else here is.
std::mutex& planner_mutex() {
    static std::mutex m;
    return m;
}
}  // namespace

struct RealFft::Impl {
    float* time = nullptr;
    fftwf_complex* freq = nullptr;
    fftwf_plan forward = nullptr;
    fftwf_plan inverse = nullptr;
    ~Impl() {
        std::lock_guard lock(planner_mutex());
        if (forward) fftwf_destroy_plan(forward);
        if (inverse) fftwf_destroy_plan(inverse);
        fftwf_free(time);
        fftwf_free(freq);
    }
};

RealFft::RealFft(int size) : impl_(std::make_unique<Impl>()), size_(size) {
    std::lock_guard lock(planner_mutex());
    impl_->time = fftwf_alloc_real(static_cast<std::size_t>(size));
    impl_->freq = fftwf_alloc_complex(static_cast<std::size_t>(size / 2 + 1));
    // FFTW_ESTIMATE: deterministic plans (FFTW_MEASURE may pick different algorithms per run,
    // whose rounding differs in the last bit, which would break bit-identical renders).
    impl_->forward = fftwf_plan_dft_r2c_1d(size, impl_->time, impl_->freq, FFTW_ESTIMATE);
    impl_->inverse = fftwf_plan_dft_c2r_1d(size, impl_->freq, impl_->time, FFTW_ESTIMATE);
}

RealFft::~RealFft() = default;
RealFft::RealFft(RealFft&&) noexcept = default;
RealFft& RealFft::operator=(RealFft&&) noexcept = default;

void RealFft::forward(std::span<const float> input, std::span<std::complex<float>> output) {
    std::copy(input.begin(), input.end(), impl_->time);
    fftwf_execute(impl_->forward);
    const auto* bins_ptr = reinterpret_cast<const std::complex<float>*>(impl_->freq);
    std::copy(bins_ptr, bins_ptr + bins(), output.begin());
}

void RealFft::inverse(std::span<const std::complex<float>> input, std::span<float> output) {
    std::copy(input.begin(), input.end(), reinterpret_cast<std::complex<float>*>(impl_->freq));
    fftwf_execute(impl_->inverse);  // c2r destroys its input: it is a scratch copy here
    std::copy(impl_->time, impl_->time + size_, output.begin());
}

}  // namespace secondear::analysis
