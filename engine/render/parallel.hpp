#pragma once
// A fixed set of worker threads that run one job per index and wait for each other at a barrier.
// Indices are handed out in increasing order to whichever thread is free (a shared counter), so
// a slow index does not hold back the others' share. Every index's job works on its own data, so
// results never depend on the number of threads or on which thread ran which index.

#include <atomic>
#include <barrier>
#include <functional>
#include <thread>
#include <vector>

namespace secondear::render {

class ParallelFor {
  public:
    /// threads <= 1 runs everything on the calling thread.
    explicit ParallelFor(int threads);
    ~ParallelFor();
    ParallelFor(const ParallelFor&) = delete;
    ParallelFor& operator=(const ParallelFor&) = delete;

    /// Calls job(i) for every i in [0, count), spread over the threads; returns when all are done.
    /// job must not throw.
    void run(int count, const std::function<void(int)>& job);

    static int default_threads();

  private:
    void work();
    void take_jobs();
    int threads_;
    int count_ = 0;
    std::atomic<int> next_{0};
    const std::function<void(int)>* job_ = nullptr;
    bool stop_ = false;
    std::barrier<> start_;
    std::barrier<> done_;
    std::vector<std::jthread> workers_;
};

}  // namespace secondear::render
