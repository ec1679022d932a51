// Moves queued readings to the broker, oldest first, once time and broker allow.
#ifndef SF_READING_PUBLISHER_H
#define SF_READING_PUBLISHER_H

#include <stddef.h>
#include <stdint.h>

#include "sf_mqtt_client.h"
#include "sf_reading_queue.h"
#include "sf_wall_clock.h"

namespace sf {

// A reading leaves the queue only when the MQTT client has taken it; from then
// on the client owns it and resends it until the broker acknowledges it.
// Without NTP time the readings stay queued (the pipeline needs a real ts);
// they get their timestamp from their millis() once the clock is set.
class ReadingPublisher {
 public:
  enum Outcome {
    NOTHING_QUEUED,
    WAITING_FOR_TIME,       // the wall clock has not been set yet
    WAITING_FOR_BROKER,     // not connected, or the previous reading is not acknowledged yet
    SENT,
    DROPPED_UNENCODABLE,    // payload did not fit the buffers: counted and dropped
  };

  // json_buf receives the payload; topic is sensors/<id>/readings.
  ReadingPublisher(ReadingQueue& queue, MqttClient& client, const WallClock& clock, const char* sensor_id,
                   const char* topic, char* json_buf, size_t json_cap);

  Outcome publish_next(uint32_t now_ms);
  uint32_t dropped_unencodable() const { return dropped_unencodable_; }

 private:
  ReadingQueue& queue_;
  MqttClient& client_;
  const WallClock& clock_;
  const char* sensor_id_;
  const char* topic_;
  char* json_buf_;
  size_t json_cap_;
  uint32_t dropped_unencodable_;
};

}  // namespace sf

#endif
