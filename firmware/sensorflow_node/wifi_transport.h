// sf::Transport over the ESP32's WiFiClient (TCP).
#ifndef SENSORFLOW_NODE_WIFI_TRANSPORT_H
#define SENSORFLOW_NODE_WIFI_TRANSPORT_H

#include <WiFi.h>
#include <WiFiClient.h>

#include "sf_mqtt_transport.h"

class WifiTransport : public sf::Transport {
 public:
  WifiTransport(const char* host, uint16_t port) : host_(host), port_(port) {}

  virtual bool open();
  virtual void close();
  virtual int32_t write(const uint8_t* data, size_t length);
  virtual int32_t read(uint8_t* data, size_t capacity);
  virtual uint32_t millis();

 private:
  const char* host_;
  uint16_t port_;
  WiFiClient client_;
};

#endif
