// TextWriter and ISO-8601 formatting.
#include <string.h>

#include "check.h"
#include "sf_iso8601.h"
#include "sf_text_writer.h"

namespace {

const char* iso(uint64_t unix_ms, char* buf, size_t cap) {
  sf::TextWriter out(buf, cap);
  if (!sf::write_iso8601_utc_ms(unix_ms, out)) return "(out of range)";
  return buf;
}

}  // namespace

TEST(text_writer_formats_unsigned_and_tenths) {
  char buf[64];
  sf::TextWriter out(buf, sizeof(buf));
  out.put_uint(0);
  out.put_char(' ');
  out.put_uint(4294967295UL);
  out.put_char(' ');
  out.put_uint_padded(7, 3);
  out.put_char(' ');
  out.put_tenths(214);
  out.put_char(' ');
  out.put_tenths(-5);
  out.put_char(' ');
  out.put_tenths(-200);
  out.put_char(' ');
  out.put_tenths(0);
  out.put_char(' ');
  out.put_tenths(INT32_MIN);
  CHECK(!out.overflowed());
  CHECK_STR(buf, "0 4294967295 007 21.4 -0.5 -20.0 0.0 -214748364.8");
  CHECK_EQ(out.length(), strlen(buf));
}

TEST(text_writer_stops_at_capacity_and_keeps_terminator) {
  char buf[8];
  memset(buf, 'X', sizeof(buf));
  sf::TextWriter out(buf, 5);  // room for 4 characters + NUL
  out.put_str("abcdef");
  CHECK(out.overflowed());
  CHECK_STR(buf, "abcd");
  CHECK_EQ(buf[5], 'X');  // untouched beyond the capacity
  out.put_char('z');      // ignored once overflowed
  CHECK_STR(buf, "abcd");
}

TEST(text_writer_with_zero_capacity_writes_nothing) {
  char canary = 'C';
  sf::TextWriter out(&canary, 0);
  out.put_char('a');
  CHECK(out.overflowed());
  CHECK_EQ(canary, 'C');
}

TEST(iso8601_known_instants) {
  char buf[32];
  CHECK_STR(iso(0, buf, sizeof(buf)), "1970-01-01T00:00:00.000Z");
  CHECK_STR(iso(1795248903120ULL, buf, sizeof(buf)), "2026-11-21T08:15:03.120Z");
  CHECK_STR(iso(951825600000ULL, buf, sizeof(buf)), "2000-02-29T12:00:00.000Z");  // leap day, 400-year rule
  CHECK_STR(iso(946684799999ULL, buf, sizeof(buf)), "1999-12-31T23:59:59.999Z");
  CHECK_STR(iso(1735689599999ULL, buf, sizeof(buf)), "2024-12-31T23:59:59.999Z");  // day 366 of a leap year
  CHECK_STR(iso(4107542400000ULL, buf, sizeof(buf)), "2100-03-01T00:00:00.000Z");  // 2100 is no leap year
  CHECK_STR(iso(2085978496000ULL, buf, sizeof(buf)), "2036-02-07T06:28:16.000Z");  // NTP era 1 begins
  CHECK_STR(iso(253402300799999ULL, buf, sizeof(buf)), "9999-12-31T23:59:59.999Z");
  CHECK_EQ(strlen(buf), sf::ISO8601_UTC_MS_LENGTH);
}

TEST(iso8601_rejects_five_digit_years) {
  char buf[32];
  CHECK_STR(iso(253402300800000ULL, buf, sizeof(buf)), "(out of range)");
}

TEST(iso8601_every_day_boundary_of_a_leap_february) {
  char buf[32];
  // 2028-02-28T23:59:59.999Z + 1 ms is Feb 29, + 1 day is Mar 1.
  const uint64_t feb28_last_ms = 1835395199999ULL;
  CHECK_STR(iso(feb28_last_ms, buf, sizeof(buf)), "2028-02-28T23:59:59.999Z");
  CHECK_STR(iso(feb28_last_ms + 1, buf, sizeof(buf)), "2028-02-29T00:00:00.000Z");
  CHECK_STR(iso(feb28_last_ms + 1 + 86400000ULL, buf, sizeof(buf)), "2028-03-01T00:00:00.000Z");
}
