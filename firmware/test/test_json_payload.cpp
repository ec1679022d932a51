// The JSON wire format and topic names.
#include <string.h>

#include "check.h"
#include "sf_json_payload.h"
#include "sf_topics.h"

namespace {

const uint64_t TS_2026_11_21_08_15_03_120 = 1795248903120ULL;
const char* const EXAMPLE =
    "{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":21.4,"
    "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}";

sf::Reading full_reading() {
  sf::Reading r = sf::empty_reading(0, 18231);
  r.has_temperature = true;
  r.temperature_dc = 214;
  r.has_humidity = true;
  r.humidity_dpct = 480;
  r.has_distance = true;
  r.distance_mm = 1325;
  r.has_motion = true;
  r.motion = false;
  return r;
}

}  // namespace

TEST(json_reading_matches_wire_format_byte_for_byte) {
  char buf[256];
  const size_t n = sf::build_reading_json(buf, sizeof(buf), "greenhouse-01", TS_2026_11_21_08_15_03_120, full_reading());
  CHECK_STR(buf, EXAMPLE);
  CHECK_EQ(n, strlen(EXAMPLE));
}

TEST(json_reading_omits_failed_measurements) {
  char buf[256];
  sf::Reading r = sf::empty_reading(0, 7);
  r.has_temperature = true;
  r.temperature_dc = -5;
  r.has_motion = true;
  r.motion = true;
  sf::build_reading_json(buf, sizeof(buf), "n1", 0, r);
  CHECK_STR(buf, "{\"sensor_id\":\"n1\",\"ts\":\"1970-01-01T00:00:00.000Z\",\"temperature\":-0.5,\"motion\":true,\"seq\":7}");

  sf::Reading none = sf::empty_reading(0, 4294967295UL);
  sf::build_reading_json(buf, sizeof(buf), "n1", 0, none);
  CHECK_STR(buf, "{\"sensor_id\":\"n1\",\"ts\":\"1970-01-01T00:00:00.000Z\",\"seq\":4294967295}");
}

TEST(json_reading_extreme_fixed_point_values) {
  char buf[256];
  sf::Reading r = sf::empty_reading(0, 0);
  r.has_temperature = true;
  r.temperature_dc = -200;
  r.has_humidity = true;
  r.humidity_dpct = 1000;
  r.has_distance = true;
  r.distance_mm = 20;
  sf::build_reading_json(buf, sizeof(buf), "x", 0, r);
  CHECK_STR(buf,
            "{\"sensor_id\":\"x\",\"ts\":\"1970-01-01T00:00:00.000Z\",\"temperature\":-20.0,\"humidity\":100.0,"
            "\"distance_cm\":2.0,\"seq\":0}");
}

TEST(json_escapes_the_sensor_id) {
  char buf[256];
  sf::build_status_json(buf, sizeof(buf), "a\"b\\c\nd\x01/\xc3\xa9", true);
  CHECK_STR(buf, "{\"sensor_id\":\"a\\\"b\\\\c\\u000ad\\u0001/\xc3\xa9\",\"status\":\"online\"}");
}

TEST(json_status_payloads) {
  char buf[128];
  CHECK_EQ(sf::build_status_json(buf, sizeof(buf), "greenhouse-01", false), 48);
  CHECK_STR(buf, "{\"sensor_id\":\"greenhouse-01\",\"status\":\"offline\"}");
  sf::build_status_json(buf, sizeof(buf), "greenhouse-01", true);
  CHECK_STR(buf, "{\"sensor_id\":\"greenhouse-01\",\"status\":\"online\"}");
}

TEST(json_too_small_buffer_yields_empty_string_and_no_overrun) {
  const size_t full = strlen(EXAMPLE);
  char buf[256];
  for (size_t cap = 0; cap <= full; ++cap) {
    memset(buf, '#', sizeof(buf));
    const size_t n = sf::build_reading_json(buf, cap, "greenhouse-01", TS_2026_11_21_08_15_03_120, full_reading());
    if (!CHECK_EQ(n, 0)) break;
    if (cap > 0 && !CHECK_EQ(buf[0], '\0')) break;
    // Nothing written past the capacity.
    for (size_t i = cap; i < sizeof(buf); ++i) {
      if (!CHECK_EQ(buf[i], '#')) return;
    }
  }
  // One more byte for the NUL is exactly enough.
  memset(buf, '#', sizeof(buf));
  CHECK_EQ(sf::build_reading_json(buf, full + 1, "greenhouse-01", TS_2026_11_21_08_15_03_120, full_reading()), full);
  CHECK_STR(buf, EXAMPLE);
  CHECK_EQ(buf[full + 1], '#');
}

TEST(topics_for_a_sensor) {
  char buf[64];
  CHECK_EQ(sf::build_sensor_topic(buf, sizeof(buf), "greenhouse-01", "readings"), 30);
  CHECK_STR(buf, "sensors/greenhouse-01/readings");
  sf::build_sensor_topic(buf, sizeof(buf), "greenhouse-01", "status");
  CHECK_STR(buf, "sensors/greenhouse-01/status");
}

TEST(topics_reject_ids_that_break_the_topic_structure) {
  char buf[64];
  CHECK_EQ(sf::build_sensor_topic(buf, sizeof(buf), "", "readings"), 0);
  CHECK_EQ(sf::build_sensor_topic(buf, sizeof(buf), "a/b", "readings"), 0);
  CHECK_EQ(sf::build_sensor_topic(buf, sizeof(buf), "a+", "readings"), 0);
  CHECK_EQ(sf::build_sensor_topic(buf, sizeof(buf), "#", "readings"), 0);
  CHECK_STR(buf, "");
  // "sensors/abc/readings" is 20 characters: 20 bytes are one too few.
  CHECK_EQ(sf::build_sensor_topic(buf, 20, "abc", "readings"), 0);
  CHECK_STR(buf, "");
  CHECK_EQ(sf::build_sensor_topic(buf, 21, "abc", "readings"), 20);
}
