// SPDX-License-Identifier: Apache-2.0
//
// The replay behind PerfModel.h. Each kernel thread advances its own clock
// through its events; a priority queue of (time, sequence) runs the thread
// with the earliest clock, so semaphore writes and DRAM requests are seen
// in modeled-time order. Blocking edges:
//   - DFBs: the time page k of a DFB became visible to its consumer (push +
//     hand-off) or free for its producer (pop) is kept per page in a ring of
//     the DFB's size, so a wait gets the exact time of the push it needs
//     whatever order the threads are replayed in;
//   - semaphores: remote increments and writes land after the NOC write
//     latency; a wait resumes when the value satisfies it;
//   - NOC barriers wait for the thread's outstanding transfers.
// A compute thread is three clocks (unpack, math, pack), as the three
// TRISC cores of a Tensix: unpack waits and pops input DFBs, math follows
// unpack, pack follows the DST commit and reserves/pushes output DFBs; a
// DST half is reused only after pack released it (double-buffered DST).

#include "PerfModel.h"
#include "Device.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <sstream>

namespace ttlx_rt {

namespace {

/// Aggregate DRAM bandwidth as capacity per time bucket: a transfer
/// consumes capacity from its start onward, so requests replayed slightly
/// out of time order still share the bandwidth fairly.
class DramServer {
public:
  DramServer(double bytesPerCycle, double bucket)
      : rate_(bytesPerCycle), bucket_(bucket), capacity_(bytesPerCycle * bucket) {}

  /// When `bytes` requested at `start` have been served.
  double serve(double start, double bytes) {
    size_t b = find(static_cast<size_t>(start / bucket_));
    double remaining = bytes;
    double end = start;
    for (;;) {
      grow(b);
      double take = std::min(capacity_ - used_[b], remaining);
      used_[b] += take;
      remaining -= take;
      end = b * bucket_ + used_[b] / rate_;
      if (used_[b] >= capacity_ * (1 - 1e-12))
        next_[b] = b + 1;
      if (remaining <= 0)
        break;
      b = find(b + 1);
    }
    return std::max(end, start + bytes / rate_);
  }

private:
  void grow(size_t b) {
    while (used_.size() <= b) {
      next_.push_back(used_.size());
      used_.push_back(0);
    }
  }
  /// The first bucket at or after `b` with capacity left (path halving).
  size_t find(size_t b) {
    grow(b);
    while (next_[b] != b) {
      grow(next_[b]);
      if (next_[next_[b]] != next_[b])
        next_[b] = next_[next_[b]];
      b = next_[b];
      grow(b);
    }
    return b;
  }

  double rate_, bucket_, capacity_;
  std::vector<double> used_;
  std::vector<size_t> next_;
};

struct DfbState {
  uint32_t capacity = 0;
  uint64_t pushed = 0, popped = 0;
  std::vector<double> pushTime, popTime; // by page level, ring of `capacity`
  std::vector<uint32_t> waiters;         // blocked threads

  void ensure(uint32_t pages) {
    if (capacity)
      return;
    capacity = std::max<uint32_t>(pages, 1);
    pushTime.assign(capacity, 0);
    popTime.assign(capacity, 0);
  }
};

struct CoreState {
  std::vector<DfbState> dfbs;
  std::vector<uint32_t> semaphores; // by L1 offset / 4
  std::vector<uint32_t> semWaiters;
};

struct ThreadState {
  const EventStream *stream = nullptr;
  size_t pc = 0;
  bool compute = false;
  bool blocked = false;
  bool done = false;
  bool resumed = false; // woken from a wait, re-running its event
  double t = 0;          // data movement: the thread's clock; compute: unpack
  double math = 0, pack = 0;
  double blockedAt = 0;
  double readDone = 0, writeDone = 0, linkFree = 0, linkBusy = 0;
  double commit = 0;
  double released[2] = {};      // when pack released each DST half
  uint64_t acquires = 0, releases = 0;
  std::vector<std::pair<uint32_t, double>> zones;
  double busy[NumModelUnits] = {};

  double end() const { return compute ? std::max({t, math, pack}) : t; }
};

struct Delivery {
  uint32_t core, offset, value;
  bool increment;
};

struct QueueItem {
  double time;
  uint64_t seq;
  int64_t thread; // >= 0: a thread; < 0: delivery -(index + 1)
  bool operator>(const QueueItem &o) const {
    return time != o.time ? time > o.time : seq > o.seq;
  }
};

class Replay {
public:
  Replay(const Device &device, const ModelParams &params)
      : device_(device), p_(params), dram_(params.dramBytesPerCycle, params.dramBucketCycles) {}

  ModelResult run();

private:
  // Scheduling.
  void schedule(uint32_t id, double time) { queue_.push({time, seq_++, id}); }
  void wake(std::vector<uint32_t> &waiters, double time);
  void runThread(uint32_t id);
  /// Executes the thread's next event; false when it blocks.
  bool step(ThreadState &th, uint32_t id);

  // Resources.
  DfbState &dfb(uint32_t core, uint32_t index);
  uint32_t &semaphore(uint32_t core, uint32_t offset);
  void deliver(const Delivery &d, double time);
  double linkRate(double bytes) const;
  double readLatency(uint32_t from, uint32_t to) const;
  double writeLatency(uint32_t from, uint32_t to, uint32_t processor) const;
  /// Issues a NOC transfer at `t`; returns when it completes.
  double transfer(ThreadState &th, const Event &e, bool read);

  void slice(uint32_t core, uint8_t track, SliceKind kind, uint16_t detail, uint32_t code,
             double start, double end) {
    if (p_.collectSlices && end >= start)
      result_.slices.push_back({core, track, kind, detail, code, start, end});
  }
  double tileCost(const Event &e, int &unit) const;

  const Device &device_;
  const ModelParams &p_;
  DramServer dram_;
  std::vector<ThreadState> threads_;
  std::vector<CoreState> cores_;
  std::vector<Delivery> deliveries_;
  std::priority_queue<QueueItem, std::vector<QueueItem>, std::greater<QueueItem>> queue_;
  uint64_t seq_ = 0;
  ModelResult result_;
};

DfbState &Replay::dfb(uint32_t core, uint32_t index) {
  std::vector<DfbState> &dfbs = cores_[core].dfbs;
  if (dfbs.size() <= index)
    dfbs.resize(index + 1);
  DfbState &state = dfbs[index];
  state.ensure(device_.core(core).cbs[index].numPages);
  return state;
}

uint32_t &Replay::semaphore(uint32_t core, uint32_t offset) {
  std::vector<uint32_t> &words = cores_[core].semaphores;
  uint32_t index = offset / 4;
  if (words.size() <= index)
    words.resize(index + 1, 0);
  return words[index];
}

void Replay::wake(std::vector<uint32_t> &waiters, double time) {
  for (uint32_t id : waiters) {
    ThreadState &th = threads_[id];
    th.blocked = false;
    th.resumed = true;
    schedule(id, std::max(th.blockedAt, time));
  }
  waiters.clear();
}

void Replay::deliver(const Delivery &d, double time) {
  uint32_t &word = semaphore(d.core, d.offset);
  word = d.increment ? word + d.value : d.value;
  std::vector<uint32_t> &waiters = cores_[d.core].semWaiters;
  for (uint32_t id : waiters) {
    ThreadState &th = threads_[id];
    th.t = std::max(th.t, time);
  }
  wake(waiters, time);
}

double Replay::linkRate(double bytes) const {
  uint32_t n = p_.numLinkPoints;
  if (n == 0)
    return 1;
  if (bytes <= p_.linkSize[0])
    return std::max(p_.linkRate[0], 1e-3);
  for (uint32_t i = 1; i < n; ++i) {
    if (bytes <= p_.linkSize[i]) {
      double f = (bytes - p_.linkSize[i - 1]) / (p_.linkSize[i] - p_.linkSize[i - 1]);
      return p_.linkRate[i - 1] + f * (p_.linkRate[i] - p_.linkRate[i - 1]);
    }
  }
  return p_.linkRate[n - 1];
}

double Replay::readLatency(uint32_t from, uint32_t to) const {
  uint32_t fx = from % p_.gridX, fy = from / p_.gridX;
  uint32_t tx = to % p_.gridX, ty = to / p_.gridX;
  if (fx == tx && fy == ty)
    return p_.readLatencyLocal;
  if (fx == tx)
    return p_.readLatencyColumn;
  if (fy == ty)
    return p_.readLatencyRow;
  return p_.readLatencyOther;
}

// NOC 0 (dm0) routes +x then +y, NOC 1 (dm1) -y then -x, both around the
// torus; hops count the links on the way.
double Replay::writeLatency(uint32_t from, uint32_t to, uint32_t processor) const {
  int64_t gx = p_.gridX, gy = p_.gridY;
  int64_t dx = int64_t(to % gx) - int64_t(from % gx);
  int64_t dy = int64_t(to / gx) - int64_t(from / gx);
  if (processor == 1) {
    dx = -dx;
    dy = -dy;
  }
  int64_t hops = ((dx % gx) + gx) % gx + ((dy % gy) + gy) % gy;
  return p_.writeLatencyBase + p_.writeLatencyPerHop * static_cast<double>(hops);
}

double Replay::transfer(ThreadState &th, const Event &e, bool read) {
  double bytes = e.a;
  double start = th.t;
  double begin = std::max(start, th.linkFree);
  double linkTime = bytes / linkRate(bytes);
  th.linkFree = begin + linkTime;
  th.linkBusy += linkTime;
  double done = th.linkFree;
  uint32_t core = th.stream->core;
  result_.summary.nocBytes += bytes;
  if (e.target == kDram) {
    done = std::max(done, dram_.serve(start, bytes));
    if (read) {
      result_.summary.dramBytesRead += bytes;
      done += p_.dramReadLatency;
    } else {
      result_.summary.dramBytesWritten += bytes;
      done += p_.dramWriteLatency;
    }
  } else {
    done += read ? readLatency(core, e.target) : writeLatency(core, e.target, th.stream->processor);
  }
  slice(core, static_cast<uint8_t>(5 + th.stream->processor), SliceNoc,
        static_cast<uint16_t>(e.target), static_cast<uint32_t>(bytes) | (read ? 0u : 1u << 31), start,
        done);
  return done;
}

double Replay::tileCost(const Event &e, int &unit) const {
  auto pick = [](const double *table, uint32_t i) { return i < kModelMaxOps ? table[i] : 0.0; };
  switch (static_cast<TileUnit>(e.unit)) {
  case TileUnit::Copy:
  case TileUnit::Bcast:
    unit = UnitFpu;
    return p_.datacopy;
  case TileUnit::Fpu:
    unit = UnitFpu;
    return pick(p_.fpu, e.a);
  case TileUnit::SfpuUnary:
    unit = UnitSfpu;
    return pick(p_.sfpuUnary, e.a);
  case TileUnit::SfpuBinary:
    unit = UnitSfpu;
    return pick(p_.sfpuBinary, e.a);
  case TileUnit::Fill:
    unit = UnitSfpu;
    return p_.fill;
  case TileUnit::Where:
    unit = UnitSfpu;
    return p_.where;
  case TileUnit::Reduce:
    unit = UnitReduce;
    return e.a == 0 ? p_.reduceSum : p_.reduceMax;
  case TileUnit::Matmul:
    unit = UnitMatmul;
    return p_.matmul;
  case TileUnit::Pack:
    unit = UnitPack;
    return p_.pack;
  }
  unit = UnitFpu;
  return 0;
}

bool Replay::step(ThreadState &th, uint32_t id) {
  const Event &e = th.stream->events[th.pc];
  uint32_t core = th.stream->core;
  uint8_t track = th.compute ? 2 : static_cast<uint8_t>(th.stream->processor);
  auto block = [&](std::vector<uint32_t> &waiters, double at) {
    th.blocked = true;
    th.blockedAt = at;
    waiters.push_back(id);
    return false;
  };
  switch (e.kind) {
  case Ev::Wait:
  case Ev::Reserve: {
    DfbState &d = dfb(core, e.target);
    bool wait = e.kind == Ev::Wait;
    // Compute: the unpacker takes inputs, the packer reserves outputs.
    double &clock = th.compute && !wait ? th.pack : th.t;
    int64_t level = wait ? int64_t(d.popped + e.a) : int64_t(d.pushed + e.a) - int64_t(d.capacity);
    double ready = 0;
    if (level > 0) {
      uint64_t have = wait ? d.pushed : d.popped;
      if (uint64_t(level) > have)
        return block(d.waiters, clock);
      ready = (wait ? d.pushTime : d.popTime)[(level - 1) % d.capacity];
    }
    if (ready > clock) {
      slice(core, th.compute && !wait ? 4 : track, SliceDfbWait, e.target, wait ? 0 : 1, clock, ready);
      clock = ready;
    }
    clock += p_.dfbCall;
    break;
  }
  case Ev::Push:
  case Ev::Pop: {
    DfbState &d = dfb(core, e.target);
    bool push = e.kind == Ev::Push;
    double &clock = th.compute && push ? th.pack : th.t;
    double visible = push ? clock + p_.dfbHandoff : clock;
    for (uint32_t i = 0; i < e.a; ++i) {
      uint64_t level = (push ? d.pushed : d.popped) + i + 1;
      (push ? d.pushTime : d.popTime)[(level - 1) % d.capacity] = visible;
    }
    (push ? d.pushed : d.popped) += e.a;
    clock += p_.dfbCall;
    wake(d.waiters, visible);
    break;
  }
  case Ev::NocRead:
  case Ev::NocWrite: {
    bool read = e.kind == Ev::NocRead;
    double done = transfer(th, e, read);
    (read ? th.readDone : th.writeDone) = std::max(read ? th.readDone : th.writeDone, done);
    th.t += p_.nocIssue;
    break;
  }
  case Ev::ReadBarrier:
  case Ev::WriteBarrier: {
    double done = e.kind == Ev::ReadBarrier ? th.readDone : th.writeDone;
    if (done > th.t) {
      slice(core, track, SliceBarrier, e.kind == Ev::ReadBarrier ? 0 : 1, 0, th.t, done);
      th.t = done;
    }
    break;
  }
  case Ev::SemSet:
    th.t += p_.semaphoreCall;
    deliver({e.target, e.a, e.b, false}, th.t);
    break;
  case Ev::SemInc:
  case Ev::SemWrite: {
    th.t += p_.semaphoreCall;
    double arrival = th.t + writeLatency(core, e.target, th.stream->processor);
    deliveries_.push_back({e.target, e.a, e.b, e.kind == Ev::SemInc});
    queue_.push({arrival, seq_++, -int64_t(deliveries_.size())});
    break;
  }
  case Ev::SemWait: {
    uint32_t value = semaphore(core, e.a);
    bool holds = e.unit ? value >= e.b : value == e.b;
    if (!holds)
      return block(cores_[core].semWaiters, th.t);
    if (th.resumed)
      slice(core, track, SliceSemWait, 0, e.b, th.blockedAt, th.t);
    th.t += p_.semaphoreCall;
    break;
  }
  case Ev::Regs:
    switch (static_cast<int>(e.unit)) {
    case 0: // acquire: math reuses a DST half once pack released it
      if (th.acquires >= 2)
        th.math = std::max(th.math, th.released[th.acquires % 2]);
      ++th.acquires;
      break;
    case 1: // commit
      th.commit = th.math;
      break;
    case 2: // wait: pack starts on the committed half
      th.pack = std::max(th.pack, th.commit);
      break;
    case 3: // release
      th.released[th.releases++ % 2] = th.pack;
      break;
    }
    break;
  case Ev::Tile: {
    int unit = UnitFpu;
    double cost = tileCost(e, unit);
    auto unitCode = static_cast<TileUnit>(e.unit);
    bool unpacks = unitCode == TileUnit::Copy || unitCode == TileUnit::Bcast ||
                   unitCode == TileUnit::Fpu || unitCode == TileUnit::Reduce ||
                   unitCode == TileUnit::Matmul;
    if (unitCode == TileUnit::Pack) {
      slice(core, 4, SliceTile, e.unit, e.a, th.pack, th.pack + cost);
      th.pack += cost;
    } else {
      if (unpacks) {
        slice(core, 2, SliceTile, static_cast<uint16_t>(TileUnit::Copy), 0xffffffff, th.t,
              th.t + p_.unpack);
        th.t += p_.unpack;
        th.busy[UnitUnpack] += p_.unpack;
        th.math = std::max(th.math, th.t);
      }
      slice(core, 3, SliceTile, e.unit, e.a, th.math, th.math + cost);
      th.math += cost;
    }
    th.busy[unit] += cost;
    break;
  }
  case Ev::ZoneBegin:
    th.zones.push_back({e.a, th.compute ? th.math : th.t});
    break;
  case Ev::ZoneEnd: {
    double now = th.compute ? th.math : th.t;
    for (size_t i = th.zones.size(); i-- > 0;) {
      if (th.zones[i].first != e.a)
        continue;
      slice(core, th.compute ? 3 : track, SliceZone, 0, e.a, th.zones[i].second, now);
      th.zones.erase(th.zones.begin() + i);
      break;
    }
    break;
  }
  }
  ++th.pc;
  th.resumed = false;
  return true;
}

void Replay::runThread(uint32_t id) {
  ThreadState &th = threads_[id];
  if (th.blocked || th.done)
    return;
  const std::vector<Event> &events = th.stream->events;
  while (th.pc < events.size()) {
    if (!queue_.empty() && th.t > queue_.top().time) {
      schedule(id, th.t); // let earlier threads catch up
      return;
    }
    if (!step(th, id))
      return;
  }
  th.done = true;
}

ModelResult Replay::run() {
  const auto &streams = device_.profiler->streams();
  cores_.resize(static_cast<size_t>(p_.gridX) * p_.gridY);
  // Streams appear in the order threads first recorded, which depends on
  // scheduling: sort them by (core, processor) so ties replay alike.
  std::vector<const EventStream *> ordered;
  for (const auto &s : streams)
    ordered.push_back(s.get());
  std::sort(ordered.begin(), ordered.end(), [](const EventStream *a, const EventStream *b) {
    return a->core != b->core ? a->core < b->core : a->processor < b->processor;
  });
  for (const EventStream *s : ordered) {
    ThreadState th;
    th.stream = s;
    th.compute = s->processor == static_cast<uint32_t>(Processor::Compute);
    threads_.push_back(std::move(th));
    result_.summary.events += s->events.size();
  }
  for (uint32_t id = 0; id < threads_.size(); ++id)
    schedule(id, 0);
  while (!queue_.empty()) {
    QueueItem item = queue_.top();
    queue_.pop();
    if (item.thread < 0)
      deliver(deliveries_[static_cast<size_t>(-item.thread - 1)], item.time);
    else
      runThread(static_cast<uint32_t>(item.thread));
  }

  ModelSummary &s = result_.summary;
  std::vector<double> coreCompute(cores_.size(), 0);
  for (const ThreadState &th : threads_) {
    if (!th.done) {
      std::ostringstream os;
      const Event &e = th.stream->events[th.pc];
      os << "the performance model could not replay core " << th.stream->core << " thread "
         << th.stream->processor << ": event " << th.pc << " (kind " << int(e.kind)
         << ") waits for something no replayed thread provides";
      result_.error = os.str();
      return std::move(result_);
    }
    double end = th.end();
    if (end > s.makespan || &th == &threads_.front()) {
      s.makespan = end;
      s.criticalCore = th.stream->core;
      s.criticalThread = th.stream->processor;
    }
    for (int u = 0; u < NumModelUnits; ++u)
      s.busy[u] += th.busy[u];
    if (th.compute) {
      double math = th.busy[UnitFpu] + th.busy[UnitSfpu] + th.busy[UnitMatmul] + th.busy[UnitReduce];
      coreCompute[th.stream->core] = std::max({th.busy[UnitUnpack], math, th.busy[UnitPack]});
    }
    s.maxLinkBusy = std::max(s.maxLinkBusy, th.linkBusy);
  }
  for (double c : coreCompute)
    s.maxCoreCompute = std::max(s.maxCoreCompute, c);
  return std::move(result_);
}

} // namespace

ModelResult replay(const Device &device, const ModelParams &params) {
  if (!device.profiler) {
    ModelResult result;
    result.error = "the run was not profiled";
    return result;
  }
  return Replay(device, params).run();
}

} // namespace ttlx_rt
