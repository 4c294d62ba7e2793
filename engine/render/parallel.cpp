#include "render/parallel.hpp"

#include <algorithm>

namespace secondear::render {

ParallelFor::ParallelFor(int threads)
    : threads_(std::max(1, threads)), start_(threads_), done_(threads_) {
    for (int w = 1; w < threads_; ++w) workers_.emplace_back([this, w] { work(w); });
}

ParallelFor::~ParallelFor() {
    if (threads_ > 1) {
        stop_ = true;
        start_.arrive_and_wait();
    }
}

int ParallelFor::default_threads() {
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void ParallelFor::work(int worker) {
    while (true) {
        start_.arrive_and_wait();
        if (stop_) return;
        for (int i = worker; i < count_; i += threads_) (*job_)(i);
        done_.arrive_and_wait();
    }
}

void ParallelFor::run(int count, const std::function<void(int)>& job) {
    if (threads_ == 1) {
        for (int i = 0; i < count; ++i) job(i);
        return;
    }
    count_ = count;
    job_ = &job;
    start_.arrive_and_wait();
    for (int i = 0; i < count; i += threads_) job(i);
    done_.arrive_and_wait();
}

}  // namespace secondear::render
