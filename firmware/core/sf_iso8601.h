// Unix epoch milliseconds -> "2026-11-21T08:15:03.120Z".
#ifndef SF_ISO8601_H
#define SF_ISO8601_H

#include <stdint.h>

#include "sf_text_writer.h"

namespace sf {

const uint8_t ISO8601_UTC_MS_LENGTH = 24;
// 9999-12-31T23:59:59.999Z: the last instant with a four-digit year.
const uint64_t ISO8601_MAX_UNIX_MS = 253402300799999ULL;

// Writes the UTC timestamp with milliseconds; false (nothing written) beyond year 9999.
bool write_iso8601_utc_ms(uint64_t unix_ms, TextWriter& out);

}  // namespace sf

#endif
