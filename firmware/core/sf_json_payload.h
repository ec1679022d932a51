// The pipeline's wire format, built into a caller-provided buffer:
// {"sensor_id":"greenhouse-01","ts":"2026-11-21T08:15:03.120Z","temperature":21.4,
//  "humidity":48.0,"distance_cm":132.5,"motion":false,"seq":18231}
#ifndef SF_JSON_PAYLOAD_H
#define SF_JSON_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "sf_reading.h"
#include "sf_text_writer.h"

namespace sf {

// Writes s as a JSON string literal, quotes included: '"' and '\\' are
// backslash-escaped, control characters become \u00XX, other bytes (UTF-8) pass through.
void write_json_string(const char* s, TextWriter& out);

// Returns the payload length (without the NUL), or 0 when it does not fit in
// cap bytes including the NUL; buf then holds "". Never writes past buf[cap-1].
size_t build_reading_json(char* buf, size_t cap, const char* sensor_id, uint64_t timestamp_unix_ms,
                          const Reading& reading);

// {"sensor_id":"greenhouse-01","status":"online"} (or "offline", used as the MQTT last will).
size_t build_status_json(char* buf, size_t cap, const char* sensor_id, bool online);

}  // namespace sf

#endif
