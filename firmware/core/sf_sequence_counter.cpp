#include "sf_sequence_counter.h"

namespace sf {

SequenceCounter::SequenceCounter(uint32_t block_size)
    : block_size_(block_size == 0 ? 1 : block_size), next_(0), limit_(0) {}

void SequenceCounter::begin(uint32_t persisted_limit) {
  next_ = persisted_limit;
  limit_ = persisted_limit;  // nothing reserved yet in this boot
}

uint32_t SequenceCounter::reserve_block() {
  limit_ = next_ + block_size_;
  return limit_;
}

}  // namespace sf
