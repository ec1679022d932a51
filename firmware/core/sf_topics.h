// MQTT topic names of a node: sensors/<sensor_id>/readings and sensors/<sensor_id>/status.
#ifndef SF_TOPICS_H
#define SF_TOPICS_H

#include <stddef.h>

namespace sf {

// Writes "sensors/<sensor_id>/<leaf>" and returns its length; 0 when the id is
// empty, would change the topic's structure ('/', '+', '#'), or it does not fit.
size_t build_sensor_topic(char* buf, size_t cap, const char* sensor_id, const char* leaf);

}  // namespace sf

#endif
