// Seedable PRNG and capped exponential backoff.
#include "check.h"
#include "sf_backoff.h"
#include "sf_prng.h"

TEST(prng_xorshift32_reference_values) {
  sf::Prng prng(1);
  // x ^= x << 13; x ^= x >> 17; x ^= x << 5 from 1: 0x2001 -> 0x2001 -> 0x42021
  CHECK_EQ(prng.next(), 270369);
  CHECK_EQ(prng.next(), 67634689);
  CHECK_EQ(prng.next(), 2647435461UL);
}

TEST(prng_zero_seed_still_produces_numbers) {
  sf::Prng prng(0);
  CHECK(prng.next() != 0);
  CHECK_EQ(prng.below(0), 0);
  for (int i = 0; i < 1000; ++i) {
    if (!CHECK(prng.below(10) < 10)) return;
  }
}

TEST(backoff_doubles_up_to_the_cap_and_resets) {
  sf::Backoff backoff(1000, 60000, 0, NULL);
  const uint32_t expected[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
  for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]); ++i) CHECK_EQ(backoff.next_delay_ms(), expected[i]);
  backoff.reset();
  CHECK_EQ(backoff.next_delay_ms(), 1000);
  CHECK_EQ(backoff.next_delay_ms(), 2000);
}

TEST(backoff_does_not_overflow_with_large_values) {
  sf::Backoff backoff(3000000000UL, 4000000000UL, 0, NULL);
  CHECK_EQ(backoff.next_delay_ms(), 3000000000UL);
  CHECK_EQ(backoff.next_delay_ms(), 4000000000UL);
  CHECK_EQ(backoff.next_delay_ms(), 4000000000UL);
  sf::Backoff base_above_cap(5000, 3000, 0, NULL);
  CHECK_EQ(base_above_cap.next_delay_ms(), 3000);
}

TEST(backoff_jitter_stays_within_bounds_and_is_reproducible) {
  sf::Prng prng_a(42);
  sf::Prng prng_b(42);
  sf::Prng prng_c(43);
  sf::Backoff a(1000, 60000, 50, &prng_a);
  sf::Backoff b(1000, 60000, 50, &prng_b);
  sf::Backoff c(1000, 60000, 50, &prng_c);
  uint32_t ceiling = 1000;
  bool any_difference = false;
  bool any_jitter = false;
  for (int i = 0; i < 40; ++i) {
    const uint32_t delay = a.next_delay_ms();
    CHECK(delay <= ceiling);
    CHECK(delay >= ceiling / 2);
    CHECK_EQ(b.next_delay_ms(), delay);  // same seed, same sequence
    if (c.next_delay_ms() != delay) any_difference = true;
    if (delay != ceiling) any_jitter = true;
    ceiling = ceiling * 2 > 60000 ? 60000 : ceiling * 2;
  }
  CHECK(any_difference);
  CHECK(any_jitter);
}

TEST(backoff_full_jitter_reaches_zero_but_not_above_ceiling) {
  sf::Prng prng(7);
  sf::Backoff backoff(100, 100, 100, &prng);
  bool saw_small = false;
  for (int i = 0; i < 2000; ++i) {
    const uint32_t delay = backoff.next_delay_ms();
    if (!CHECK(delay <= 100)) return;
    if (delay < 5) saw_small = true;
  }
  CHECK(saw_small);
}
