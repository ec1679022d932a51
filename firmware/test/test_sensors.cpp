// DHT11 frames, HC-SR04 echo conversion, PIR debouncing.
#include "check.h"
#include "sf_dht11.h"
#include "sf_hcsr04.h"
#include "sf_pir_debounce.h"

namespace {

sf::Dht11Status decode(uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3, uint8_t checksum, sf::Dht11Measurement* m) {
  const uint8_t frame[5] = {b0, b1, b2, b3, checksum};
  return sf::dht11_decode(frame, m);
}

// The high-pulse widths a DHT11 sends for a frame: ~27 us for 0, ~70 us for 1.
void pulses_for(const uint8_t frame[5], uint16_t pulses[40]) {
  for (int bit = 0; bit < 40; ++bit) {
    const bool one = (frame[bit / 8] >> (7 - bit % 8)) & 1;
    pulses[bit] = one ? 70 : 27;
  }
}

}  // namespace

TEST(dht11_decodes_positive_frame) {
  sf::Dht11Measurement m = {0, 0};
  // 48.0 %RH, 21.4 C, checksum 48 + 0 + 21 + 4 = 73
  REQUIRE_EQ(decode(48, 0, 21, 4, 73, &m), sf::DHT11_OK);
  CHECK_EQ(m.humidity_dpct, 480);
  CHECK_EQ(m.temperature_dc, 214);
}

TEST(dht11_decodes_negative_temperature_flagged_in_bit7_of_tenths) {
  sf::Dht11Measurement m = {0, 0};
  // -5.3 C: integer 5, tenths 0x80 | 3; checksum 40 + 0 + 5 + 0x83 = 176
  REQUIRE_EQ(decode(40, 0, 5, 0x83, 176, &m), sf::DHT11_OK);
  CHECK_EQ(m.temperature_dc, -53);
  CHECK_EQ(m.humidity_dpct, 400);
  // -0.5 C: integer part 0, still negative
  REQUIRE_EQ(decode(40, 0, 0, 0x85, 173, &m), sf::DHT11_OK);
  CHECK_EQ(m.temperature_dc, -5);
}

TEST(dht11_decimal_humidity_and_checksum_that_wraps_past_255) {
  sf::Dht11Measurement m = {0, 0};
  // 99.9 %RH, -25.9 C: 99 + 9 + 25 + 0x89 = 270 -> low byte 14
  REQUIRE_EQ(decode(99, 9, 25, 0x89, 14, &m), sf::DHT11_OK);
  CHECK_EQ(m.humidity_dpct, 999);
  CHECK_EQ(m.temperature_dc, -259);
}

TEST(dht11_rejects_bad_checksum) {
  sf::Dht11Measurement m = {111, 222};
  CHECK_EQ(decode(48, 0, 21, 4, 74, &m), sf::DHT11_BAD_CHECKSUM);
  CHECK_EQ(decode(48, 0, 21, 4, 0, &m), sf::DHT11_BAD_CHECKSUM);
  CHECK_EQ(m.temperature_dc, 111);  // output untouched on failure
  CHECK_EQ(m.humidity_dpct, 222);
}

TEST(dht11_rejects_frames_no_dht11_can_send) {
  sf::Dht11Measurement m = {0, 0};
  CHECK_EQ(decode(48, 10, 21, 0, 79, &m), sf::DHT11_IMPLAUSIBLE);   // humidity tenths > 9
  CHECK_EQ(decode(48, 0, 21, 10, 79, &m), sf::DHT11_IMPLAUSIBLE);   // temperature tenths > 9
  CHECK_EQ(decode(101, 0, 21, 0, 122, &m), sf::DHT11_IMPLAUSIBLE);  // > 100 %RH
  CHECK_EQ(decode(50, 0, 81, 0, 131, &m), sf::DHT11_IMPLAUSIBLE);   // > 80 C
  CHECK_EQ(decode(50, 0, 41, 0x80, 219, &m), sf::DHT11_IMPLAUSIBLE);  // < -40 C
  CHECK_EQ(decode(100, 0, 80, 0, 180, &m), sf::DHT11_OK);            // the bounds themselves pass
}

TEST(dht11_frame_from_pulse_widths) {
  const uint8_t sent[5] = {48, 0, 21, 4, 73};
  uint16_t pulses[40];
  pulses_for(sent, pulses);
  uint8_t frame[5] = {0, 0, 0, 0, 0};
  REQUIRE_EQ(sf::dht11_frame_from_pulses(pulses, frame), sf::DHT11_OK);
  CHECK_BYTES(frame, 5, sent, 5);

  // Pulses right at and just above the threshold.
  for (int i = 0; i < 40; ++i) pulses[i] = sf::DHT11_ONE_THRESHOLD_US;
  pulses[7] = sf::DHT11_ONE_THRESHOLD_US + 1;
  REQUIRE_EQ(sf::dht11_frame_from_pulses(pulses, frame), sf::DHT11_OK);
  const uint8_t expected[5] = {0x01, 0, 0, 0, 0};
  CHECK_BYTES(frame, 5, expected, 5);
}

TEST(dht11_missing_pulse_is_a_timeout) {
  const uint8_t sent[5] = {48, 0, 21, 4, 73};
  uint16_t pulses[40];
  pulses_for(sent, pulses);
  pulses[39] = 0;
  uint8_t frame[5];
  CHECK_EQ(sf::dht11_frame_from_pulses(pulses, frame), sf::DHT11_TIMEOUT);
}

TEST(hcsr04_converts_echo_to_millimetres) {
  uint16_t mm = 0;
  REQUIRE_EQ(sf::hcsr04_echo_to_mm(7726, &mm), sf::ECHO_OK);  // 7726 us * 0.1715 = 1325.0 mm
  CHECK_EQ(mm, 1325);
  REQUIRE_EQ(sf::hcsr04_echo_to_mm(5831, &mm), sf::ECHO_OK);  // 1000.0 mm
  CHECK_EQ(mm, 1000);
}

TEST(hcsr04_edges_of_the_2_to_400_cm_range) {
  uint16_t mm = 0;
  CHECK_EQ(sf::hcsr04_echo_to_mm(113, &mm), sf::ECHO_TOO_NEAR);  // 19.4 mm
  REQUIRE_EQ(sf::hcsr04_echo_to_mm(114, &mm), sf::ECHO_OK);      // 19.55 mm rounds to 20
  CHECK_EQ(mm, 20);
  REQUIRE_EQ(sf::hcsr04_echo_to_mm(23326, &mm), sf::ECHO_OK);    // 4000.4 mm
  CHECK_EQ(mm, 4000);
  CHECK_EQ(sf::hcsr04_echo_to_mm(23327, &mm), sf::ECHO_TOO_FAR);  // 4000.6 mm rounds to 4001
  CHECK_EQ(sf::hcsr04_echo_to_mm(38000, &mm), sf::ECHO_TOO_FAR);  // "nothing in range" pulse
}

TEST(hcsr04_no_echo_and_overflowing_inputs) {
  uint16_t mm = 777;
  CHECK_EQ(sf::hcsr04_echo_to_mm(0, &mm), sf::ECHO_NONE);
  CHECK_EQ(sf::hcsr04_echo_to_mm(1, &mm), sf::ECHO_TOO_NEAR);
  CHECK_EQ(sf::hcsr04_echo_to_mm(1000001, &mm), sf::ECHO_TOO_FAR);
  CHECK_EQ(sf::hcsr04_echo_to_mm(0xFFFFFFFFUL, &mm), sf::ECHO_TOO_FAR);
  CHECK_EQ(mm, 777);
}

TEST(pir_level_accepted_after_settle_time) {
  sf::PirDebouncer pir(50);
  pir.update(false, 0);
  pir.update(true, 100);
  CHECK(!pir.motion());
  pir.update(true, 149);
  CHECK(!pir.motion());
  pir.update(true, 150);
  CHECK(pir.motion());
  pir.update(false, 300);
  CHECK(pir.motion());  // still high until the low level has settled
  pir.update(false, 350);
  CHECK(!pir.motion());
}

TEST(pir_short_glitches_are_ignored) {
  sf::PirDebouncer pir(50);
  pir.update(true, 10);
  pir.update(false, 40);  // 30 ms spike
  pir.update(false, 200);
  CHECK(!pir.motion());
  CHECK(!pir.take_motion_seen());

  pir.update(true, 300);
  pir.update(true, 360);
  REQUIRE(pir.motion());
  pir.update(false, 400);  // 20 ms dropout while motion is present
  pir.update(true, 420);
  pir.update(true, 500);
  CHECK(pir.motion());
}

TEST(pir_motion_between_readings_is_latched_once) {
  sf::PirDebouncer pir(50);
  pir.update(true, 1000);
  pir.update(true, 1050);  // motion accepted
  pir.update(false, 2000);
  pir.update(false, 2050);  // gone again before the next reading
  CHECK(!pir.motion());
  CHECK(pir.take_motion_seen());   // the reading reports it
  CHECK(!pir.take_motion_seen());  // the next one does not
  pir.update(true, 3000);
  pir.update(true, 3100);
  CHECK(pir.take_motion_seen());
  CHECK(pir.take_motion_seen());  // still present: reported again
}

TEST(pir_settle_time_across_millis_wrap) {
  sf::PirDebouncer pir(50);
  pir.update(true, 0xFFFFFFF0UL);
  pir.update(true, 0x00000010UL);  // 32 ms later
  CHECK(!pir.motion());
  pir.update(true, 0x00000022UL);  // 50 ms later
  CHECK(pir.motion());
}
