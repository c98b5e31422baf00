// C++: std::cout (its locale and sentry go through pthread_once and
// futexes), std::thread, std::atomic, std::mutex and a condition
// variable, an exception thrown and caught on a worker thread.
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

int main()
{
    std::cout << "hello from std::cout" << std::endl;
    std::atomic<unsigned long> counter{0};
    std::mutex mu;
    std::condition_variable cv;
    int ready = 0;
    unsigned long caught = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; t++)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100000; i++)
                counter.fetch_add(1, std::memory_order_relaxed);
            try {
                if (t % 2)
                    throw std::runtime_error("odd");
            } catch (const std::exception &e) {
                std::lock_guard<std::mutex> g(mu);
                caught++;
            }
            std::lock_guard<std::mutex> g(mu);
            ready++;
            cv.notify_one();
        });
    {
        std::unique_lock<std::mutex> l(mu);
        cv.wait(l, [&] { return ready == 8; });
    }
    for (auto &th : threads)
        th.join();
    std::cout << "counter " << counter.load() << ", exceptions caught " << caught << std::endl;
    return 0;
}
