// The per-sensor "seq" field: increasing, and never repeated across reboots.
#ifndef SF_SEQUENCE_COUNTER_H
#define SF_SEQUENCE_COUNTER_H

#include <stdint.h>

namespace sf {

// The pipeline tells readings of one sensor apart by (sensor_id, seq), and QoS 1
// may deliver a reading twice, so a reboot must not start over at 0. Writing the
// counter to flash on every reading would wear it out; instead the node persists
// a limit ("numbers below this may have been used") one block ahead. After a
// reboot, numbering resumes at the persisted limit: seq may jump by up to one
// block, but never goes back.
//
//   counter.begin(stored_limit);                     // 0 on first boot
//   if (counter.needs_reservation()) store(counter.reserve_block());
//   reading.seq = counter.next();
class SequenceCounter {
 public:
  explicit SequenceCounter(uint32_t block_size);

  void begin(uint32_t persisted_limit);
  // True when next() would pass the persisted limit.
  bool needs_reservation() const { return next_ >= limit_; }
  // Extends the limit by one block; the caller must persist the returned value
  // before using the numbers.
  uint32_t reserve_block();
  uint32_t next() { return next_++; }
  uint32_t peek() const { return next_; }

 private:
  uint32_t block_size_;
  uint32_t next_;
  uint32_t limit_;
};

}  // namespace sf

#endif
