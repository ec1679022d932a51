// Fixed-size ring buffer of readings waiting to be published.
#ifndef SF_READING_QUEUE_H
#define SF_READING_QUEUE_H

#include <stdint.h>

#include "sf_reading.h"

namespace sf {

// Keeps readings while the broker or the clock is unavailable. The storage is
// the caller's (a static array), so its size is chosen per board. When full,
// the oldest reading is overwritten: recent data is worth more, and the loss
// is counted in dropped().
class ReadingQueue {
 public:
  ReadingQueue(Reading* slots, uint16_t capacity);

  void push(const Reading& reading);
  // The oldest reading, or NULL when empty.
  const Reading* oldest() const;
  void drop_oldest();

  uint16_t size() const { return count_; }
  uint16_t capacity() const { return capacity_; }
  bool empty() const { return count_ == 0; }
  uint32_t dropped() const { return dropped_; }

 private:
  Reading* slots_;
  uint16_t capacity_;
  uint16_t head_;  // index of the oldest reading
  uint16_t count_;
  uint32_t dropped_;
};

}  // namespace sf

#endif
