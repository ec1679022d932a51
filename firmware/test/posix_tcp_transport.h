// sf::Transport over a POSIX TCP socket, to run the core's MQTT client on the host.
#ifndef SF_TEST_POSIX_TCP_TRANSPORT_H
#define SF_TEST_POSIX_TCP_TRANSPORT_H

#include "sf_mqtt_transport.h"

class PosixTcpTransport : public sf::Transport {
 public:
  PosixTcpTransport(const char* ipv4_address, uint16_t port);
  virtual ~PosixTcpTransport();

  virtual bool open();
  virtual void close();
  virtual int32_t write(const uint8_t* data, size_t length);
  virtual int32_t read(uint8_t* data, size_t capacity);
  virtual uint32_t millis();

 private:
  const char* address_;
  uint16_t port_;
  int fd_;
};

#endif
