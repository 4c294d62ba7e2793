#pragma once
// Real FFT (FFTW3, single precision). Conventions FFTW leaves implicit:
// - unscaled: forward then inverse multiplies by n;
// - a real input of n samples gives n/2 + 1 complex bins (bin k is k * sample_rate / n Hz);
// - plans are made in the constructor (not thread safe: construct from one thread at a time, as
//   FFTW's planner requires); forward()/inverse() on distinct objects may run concurrently.

#include <complex>
#include <memory>
#include <span>

namespace secondear::analysis {

class RealFft {
public:
    explicit RealFft(int size);
    ~RealFft();
    RealFft(RealFft&&) noexcept;
    RealFft& operator=(RealFft&&) noexcept;

    int size() const noexcept { return size_; }
    int bins() const noexcept { return size_ / 2 + 1; }
    /// input.size() == size(), output.size() == bins().
    void forward(std::span<const float> input, std::span<std::complex<float>> output);
    /// input.size() == bins(), output.size() == size(); unscaled (times size()).
    void inverse(std::span<const std::complex<float>> input, std::span<float> output);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int size_ = 0;
};

}  // namespace secondear::analysis
