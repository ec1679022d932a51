#include "sf_iso8601.h"

namespace sf {

namespace {

const uint32_t MS_PER_DAY = 86400000;
const uint32_t MS_PER_HOUR = 3600000;
const uint32_t MS_PER_MINUTE = 60000;
const uint32_t DAYS_PER_ERA = 146097;         // 400 Gregorian years
const uint32_t EPOCH_DAYS_FROM_0000_03_01 = 719468;

struct CivilDate {
  uint32_t year;
  uint8_t month;  // 1..12
  uint8_t day;    // 1..31
};

// Days since 1970-01-01 -> proleptic Gregorian date. Counts from 0000-03-01 so
// that the leap day is the last day of a "year" and a 400-year era has a fixed
// length of 146097 days; only unsigned 32-bit arithmetic, fine on AVR.
CivilDate civil_from_days(uint32_t days_since_epoch) {
  const uint32_t days = days_since_epoch + EPOCH_DAYS_FROM_0000_03_01;
  const uint32_t era = days / DAYS_PER_ERA;
  const uint32_t day_of_era = days - era * DAYS_PER_ERA;  // 0..146096
  const uint32_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // 0..399
  const uint32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const uint32_t month_from_march = (5 * day_of_year + 2) / 153;  // 0 = March .. 11 = February
  CivilDate date;
  date.day = static_cast<uint8_t>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  date.month = static_cast<uint8_t>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  date.year = year_of_era + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

}  // namespace

bool write_iso8601_utc_ms(uint64_t unix_ms, TextWriter& out) {
  if (unix_ms > ISO8601_MAX_UNIX_MS) return false;
  const uint32_t days = static_cast<uint32_t>(unix_ms / MS_PER_DAY);
  uint32_t ms_of_day = static_cast<uint32_t>(unix_ms % MS_PER_DAY);
  const CivilDate date = civil_from_days(days);

  const uint32_t hours = ms_of_day / MS_PER_HOUR;
  ms_of_day %= MS_PER_HOUR;
  const uint32_t minutes = ms_of_day / MS_PER_MINUTE;
  ms_of_day %= MS_PER_MINUTE;

  out.put_uint_padded(date.year, 4);
  out.put_char('-');
  out.put_uint_padded(date.month, 2);
  out.put_char('-');
  out.put_uint_padded(date.day, 2);
  out.put_char('T');
  out.put_uint_padded(hours, 2);
  out.put_char(':');
  out.put_uint_padded(minutes, 2);
  out.put_char(':');
  out.put_uint_padded(ms_of_day / 1000, 2);
  out.put_char('.');
  out.put_uint_padded(ms_of_day % 1000, 3);
  out.put_char('Z');
  return true;
}

}  // namespace sf
