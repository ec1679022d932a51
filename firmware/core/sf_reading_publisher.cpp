#include "sf_reading_publisher.h"

#include "sf_json_payload.h"

namespace sf {

ReadingPublisher::ReadingPublisher(ReadingQueue& queue, MqttClient& client, const WallClock& clock,
                                   const char* sensor_id, const char* topic, char* json_buf, size_t json_cap)
    : queue_(queue),
      client_(client),
      clock_(clock),
      sensor_id_(sensor_id),
      topic_(topic),
      json_buf_(json_buf),
      json_cap_(json_cap),
      dropped_unencodable_(0) {}

ReadingPublisher::Outcome ReadingPublisher::publish_next(uint32_t now_ms) {
  const Reading* reading = queue_.oldest();
  if (reading == 0) return NOTHING_QUEUED;
  uint64_t timestamp_ms = 0;
  if (!clock_.unix_ms_at(reading->measured_at_ms, now_ms, &timestamp_ms)) return WAITING_FOR_TIME;
  if (!client_.ready_to_publish()) return WAITING_FOR_BROKER;

  const size_t length = build_reading_json(json_buf_, json_cap_, sensor_id_, timestamp_ms, *reading);
  // ready_to_publish() was checked, so a refusal can only mean "too large".
  if (length == 0 ||
      !client_.publish_qos1(topic_, reinterpret_cast<const uint8_t*>(json_buf_), length)) {
    // It would never fit: keeping it would block every later reading.
    queue_.drop_oldest();
    ++dropped_unencodable_;
    return DROPPED_UNENCODABLE;
  }
  queue_.drop_oldest();
  return SENT;
}

}  // namespace sf
