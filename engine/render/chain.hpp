#pragma once
// Plan entries -> running processors. AnyProcessor erases the processor type behind one virtual
// call per block (never per sample), because chains are only known at run time (from JSON).

#include <memory>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "dsp/processor.hpp"
#include "plan/plan.hpp"

namespace secondear::render {

class AnyProcessor {
  public:
    template <dsp::Processor P>
    explicit AnyProcessor(P processor) : self_(std::make_unique<Model<P>>(std::move(processor))) {}

    void prepare(const dsp::ProcessSpec& spec) { self_->prepare(spec); }
    void reset() noexcept { self_->reset(); }
    void process(AudioView io) noexcept { self_->process(io); }
    int latency_frames() const noexcept { return self_->latency_frames(); }
    int tail_frames() const noexcept { return self_->tail_frames(); }
    /// What the processor measured while working (gain reduction...), for the report.
    analysis::Evidence stats() const { return self_->stats(); }

  private:
    struct Concept {
        virtual ~Concept() = default;
        virtual void prepare(const dsp::ProcessSpec&) = 0;
        virtual void reset() noexcept = 0;
        virtual void process(AudioView) noexcept = 0;
        virtual int latency_frames() const noexcept = 0;
        virtual int tail_frames() const noexcept = 0;
        virtual analysis::Evidence stats() const = 0;
    };
    template <class P>
    struct Model final : Concept {
        explicit Model(P p) : processor(std::move(p)) {}
        void prepare(const dsp::ProcessSpec& spec) override { processor.prepare(spec); }
        void reset() noexcept override { processor.reset(); }
        void process(AudioView io) noexcept override { processor.process(io); }
        int latency_frames() const noexcept override { return processor.latency_frames(); }
        int tail_frames() const noexcept override { return processor.tail_frames(); }
        analysis::Evidence stats() const override {
            analysis::Evidence out;
            if constexpr (requires { processor.max_gain_reduction_db(); })
                out.emplace_back("max_gain_reduction_db", processor.max_gain_reduction_db());
            if constexpr (requires { processor.mean_gain_reduction_db(); })
                out.emplace_back("mean_gain_reduction_db", processor.mean_gain_reduction_db());
            if constexpr (requires { processor.max_attenuation_db(); })
                out.emplace_back("max_attenuation_db", processor.max_attenuation_db());
            if constexpr (requires { processor.mean_attenuation_db(); })
                out.emplace_back("mean_attenuation_db", processor.mean_attenuation_db());
            if constexpr (requires { processor.max_reduction_db(); })
                out.emplace_back("max_reduction_db", processor.max_reduction_db());
            if constexpr (requires { processor.mean_reduction_db(); })
                out.emplace_back("mean_reduction_db", processor.mean_reduction_db());
            return out;
        }
        P processor;
    };
    std::unique_ptr<Concept> self_;
};

/// A processor configured from plan parameters (validated: throws input_invalid on bad values).
AnyProcessor make_processor(const plan::ProcessorParams& params, double sample_rate_hz);

/// The enabled entries of a plan chain, in order, with their ids (for stats in the report).
class Chain {
  public:
    Chain() = default;
    Chain(const std::vector<plan::ProcessorEntry>& entries, const dsp::ProcessSpec& spec);

    void process(AudioView io) noexcept {
        for (auto& p : processors_) p.process(io);
    }
    void reset() noexcept {
        for (auto& p : processors_) p.reset();
    }
    int latency_frames() const noexcept;
    int tail_frames() const noexcept;
    bool empty() const noexcept { return processors_.empty(); }
    /// Per entry id, what it measured.
    std::vector<std::pair<std::string, analysis::Evidence>> stats() const;

  private:
    std::vector<AnyProcessor> processors_;
    std::vector<std::string> ids_;
};

}  // namespace secondear::render
