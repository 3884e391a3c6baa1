#include "logserver/serve_loop.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/clock.h"

namespace ctkit {
namespace {

uint64_t NowMs() { return static_cast<uint64_t>(UnixNowMs()); }

}  // namespace

sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

Result<void> ServeUntilSignalled(LogHttpServer& server, LogService& service, uint64_t mmd_ms,
                                 sigset_t stop_signals,
                                 const std::function<void(const std::string&)>& warn) {
  std::atomic<bool> stopping = false;
  std::mutex mutex;
  std::condition_variable wake;
  auto interval =
      std::chrono::milliseconds(std::max<uint64_t>(10, std::min<uint64_t>(200, mmd_ms / 4)));
  std::thread sequencer([&] {
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, interval, [&] { return stopping.load(); })) {
      Result<SignedTreeHead> head = service.Integrate(NowMs(), mmd_ms / 2);
      if (!head) warn("sequencer: " + head.error().message);
    }
  });
  std::thread signals([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.Stop();
  });
  Result<void> served = server.Serve();
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  sequencer.join();
  if (Result<SignedTreeHead> last = service.Integrate(NowMs(), 0); !last) {
    warn("sequencer: " + last.error().message);
  }
  pthread_kill(signals.native_handle(), SIGTERM);  // wakes sigwait if Serve ended on its own
  signals.join();
  return served;
}

}  // namespace ctkit
