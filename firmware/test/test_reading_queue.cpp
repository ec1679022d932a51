// Offline ring buffer and the reboot-safe sequence counter.
#include "check.h"
#include "sf_reading_queue.h"
#include "sf_sequence_counter.h"

namespace {

sf::Reading reading_with_seq(uint32_t seq) { return sf::empty_reading(seq * 10, seq); }

}  // namespace

TEST(queue_is_first_in_first_out) {
  sf::Reading slots[4];
  sf::ReadingQueue queue(slots, 4);
  CHECK(queue.empty());
  CHECK(queue.oldest() == NULL);
  queue.push(reading_with_seq(1));
  queue.push(reading_with_seq(2));
  CHECK_EQ(queue.size(), 2);
  CHECK_EQ(queue.oldest()->seq, 1);
  queue.drop_oldest();
  CHECK_EQ(queue.oldest()->seq, 2);
  queue.drop_oldest();
  CHECK(queue.empty());
  queue.drop_oldest();  // harmless when empty
  CHECK_EQ(queue.size(), 0);
}

TEST(queue_full_drops_oldest_and_counts) {
  sf::Reading slots[3];
  sf::ReadingQueue queue(slots, 3);
  for (uint32_t seq = 1; seq <= 5; ++seq) queue.push(reading_with_seq(seq));
  CHECK_EQ(queue.size(), 3);
  CHECK_EQ(queue.dropped(), 2);
  for (uint32_t seq = 3; seq <= 5; ++seq) {
    REQUIRE(queue.oldest() != NULL);
    CHECK_EQ(queue.oldest()->seq, seq);
    queue.drop_oldest();
  }
  CHECK(queue.empty());
}

TEST(queue_wraps_around_many_times) {
  sf::Reading slots[5];
  sf::ReadingQueue queue(slots, 5);
  uint32_t next_in = 0;
  uint32_t next_out = 0;
  // Interleave 3 pushes and 3 pops so head and tail cross the end repeatedly.
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 3; ++i) queue.push(reading_with_seq(next_in++));
    for (int i = 0; i < 3; ++i) {
      REQUIRE(queue.oldest() != NULL);
      REQUIRE_EQ(queue.oldest()->seq, next_out++);
      queue.drop_oldest();
    }
  }
  CHECK(queue.empty());
  CHECK_EQ(queue.dropped(), 0);
}

TEST(queue_with_zero_capacity_drops_everything) {
  sf::ReadingQueue queue(NULL, 0);
  queue.push(reading_with_seq(1));
  CHECK(queue.empty());
  CHECK_EQ(queue.dropped(), 1);
}

TEST(sequence_counter_reserves_blocks_before_use) {
  sf::SequenceCounter counter(100);
  counter.begin(0);  // first boot: nothing persisted
  REQUIRE(counter.needs_reservation());
  CHECK_EQ(counter.reserve_block(), 100);
  for (uint32_t expected = 0; expected < 100; ++expected) {
    REQUIRE(!counter.needs_reservation());
    REQUIRE_EQ(counter.next(), expected);
  }
  CHECK(counter.needs_reservation());
  CHECK_EQ(counter.reserve_block(), 200);
  CHECK_EQ(counter.next(), 100);
}

TEST(sequence_counter_never_repeats_after_reboot) {
  sf::SequenceCounter before(100);
  before.begin(0);
  uint32_t persisted = before.reserve_block();
  uint32_t last = 0;
  for (int i = 0; i < 42; ++i) last = before.next();
  CHECK_EQ(last, 41);

  sf::SequenceCounter after(100);  // power cycle: RAM lost, only `persisted` survives
  after.begin(persisted);
  REQUIRE(after.needs_reservation());
  persisted = after.reserve_block();
  CHECK_EQ(persisted, 200);
  CHECK_EQ(after.next(), 100);  // jumps past everything the previous boot could have used
}
