#include "sf_topics.h"

#include "sf_text_writer.h"

namespace sf {

namespace {

bool is_valid_topic_level(const char* id) {
  if (*id == '\0') return false;
  for (; *id != '\0'; ++id) {
    // '/' would add a level; '+' and '#' are wildcards that may not appear in a topic name.
    if (*id == '/' || *id == '+' || *id == '#') return false;
  }
  return true;
}

}  // namespace

size_t build_sensor_topic(char* buf, size_t cap, const char* sensor_id, const char* leaf) {
  if (cap > 0) buf[0] = '\0';
  if (!is_valid_topic_level(sensor_id)) return 0;
  TextWriter out(buf, cap);
  out.put_str("sensors/");
  out.put_str(sensor_id);
  out.put_char('/');
  out.put_str(leaf);
  if (out.overflowed()) {
    if (cap > 0) buf[0] = '\0';
    return 0;
  }
  return out.length();
}

}  // namespace sf
