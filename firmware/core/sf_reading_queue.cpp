#include "sf_reading_queue.h"

namespace sf {

ReadingQueue::ReadingQueue(Reading* slots, uint16_t capacity)
    : slots_(slots), capacity_(capacity), head_(0), count_(0), dropped_(0) {}

void ReadingQueue::push(const Reading& reading) {
  if (capacity_ == 0) {
    ++dropped_;
    return;
  }
  if (count_ == capacity_) {
    drop_oldest();
    ++dropped_;
  }
  // Index arithmetic in 32 bits: head_ + count_ may exceed 65535 for big capacities.
  const uint16_t tail = static_cast<uint16_t>((static_cast<uint32_t>(head_) + count_) % capacity_);
  slots_[tail] = reading;
  ++count_;
}

const Reading* ReadingQueue::oldest() const { return count_ == 0 ? 0 : &slots_[head_]; }

void ReadingQueue::drop_oldest() {
  if (count_ == 0) return;
  head_ = static_cast<uint16_t>((static_cast<uint32_t>(head_) + 1) % capacity_);
  --count_;
}

}  // namespace sf
