#include "sf_json_payload.h"

#include "sf_iso8601.h"

namespace sf {

namespace {

char hex_digit(uint8_t nibble) { return static_cast<char>(nibble < 10 ? '0' + nibble : 'a' + nibble - 10); }

size_t finish(char* buf, size_t cap, const TextWriter& out) {
  if (out.overflowed()) {
    if (cap > 0) buf[0] = '\0';  // never hand out a truncated document
    return 0;
  }
  return out.length();
}

}  // namespace

void write_json_string(const char* s, TextWriter& out) {
  out.put_char('"');
  for (; *s != '\0'; ++s) {
    const uint8_t c = static_cast<uint8_t>(*s);
    if (c == '"' || c == '\\') {
      out.put_char('\\');
      out.put_char(static_cast<char>(c));
    } else if (c < 0x20) {
      out.put_str("\\u00");
      out.put_char(hex_digit(c >> 4));
      out.put_char(hex_digit(c & 0x0F));
    } else {
      out.put_char(static_cast<char>(c));
    }
  }
  out.put_char('"');
}

size_t build_reading_json(char* buf, size_t cap, const char* sensor_id, uint64_t timestamp_unix_ms,
                          const Reading& reading) {
  TextWriter out(buf, cap);
  out.put_str("{\"sensor_id\":");
  write_json_string(sensor_id, out);
  out.put_str(",\"ts\":\"");
  if (!write_iso8601_utc_ms(timestamp_unix_ms, out)) {
    if (cap > 0) buf[0] = '\0';
    return 0;
  }
  out.put_char('"');
  if (reading.has_temperature) {
    out.put_str(",\"temperature\":");
    out.put_tenths(reading.temperature_dc);
  }
  if (reading.has_humidity) {
    out.put_str(",\"humidity\":");
    out.put_tenths(reading.humidity_dpct);
  }
  if (reading.has_distance) {
    out.put_str(",\"distance_cm\":");
    out.put_tenths(reading.distance_mm);  // mm are tenths of a centimetre
  }
  if (reading.has_motion) {
    out.put_str(",\"motion\":");
    out.put_str(reading.motion ? "true" : "false");
  }
  out.put_str(",\"seq\":");
  out.put_uint(reading.seq);
  out.put_char('}');
  return finish(buf, cap, out);
}

size_t build_status_json(char* buf, size_t cap, const char* sensor_id, bool online) {
  TextWriter out(buf, cap);
  out.put_str("{\"sensor_id\":");
  write_json_string(sensor_id, out);
  out.put_str(online ? ",\"status\":\"online\"}" : ",\"status\":\"offline\"}");
  return finish(buf, cap, out);
}

}  // namespace sf
