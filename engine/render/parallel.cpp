#include "render/parallel.hpp"

#include <algorithm>

namespace secondear::render {

ParallelFor::ParallelFor(int threads)
    : threads_(std::max(1, threads)), start_(threads_), done_(threads_) {
    for (int w = 1; w < threads_; ++w) workers_.emplace_back([this] { work(); });
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

void ParallelFor::take_jobs() {
    // Relaxed is enough: the barriers order count_, job_ and the jobs' data around each run.
    for (int i = next_.fetch_add(1, std::memory_order_relaxed); i < count_;
         i = next_.fetch_add(1, std::memory_order_relaxed))
        (*job_)(i);
}

void ParallelFor::work() {
    while (true) {
        start_.arrive_and_wait();
        if (stop_) return;
        take_jobs();
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
    next_.store(0, std::memory_order_relaxed);
    start_.arrive_and_wait();
    take_jobs();
    done_.arrive_and_wait();
}

}  // namespace secondear::render
