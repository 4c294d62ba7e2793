#pragma once
// A fixed set of worker threads that run one job per index, split statically (worker w takes
// indices w, w + n, ...), and wait for each other at a barrier. Static splitting keeps every
// index's work on its own data, so results never depend on the number of threads.

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
    void work(int worker);
    int threads_;
    int count_ = 0;
    const std::function<void(int)>* job_ = nullptr;
    bool stop_ = false;
    std::barrier<> start_;
    std::barrier<> done_;
    std::vector<std::jthread> workers_;
};

}  // namespace secondear::render
