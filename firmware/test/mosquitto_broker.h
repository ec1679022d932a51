// Starts a private Debian mosquitto broker on a free loopback port for one test,
// and runs mosquitto_sub as an independent client to see what the broker delivers.
#ifndef SF_TEST_MOSQUITTO_BROKER_H
#define SF_TEST_MOSQUITTO_BROKER_H

#include <stdint.h>
#include <sys/types.h>

#include <string>

// Absolute path of an executable from PATH, /usr/sbin or /usr/local/sbin ("" if absent).
std::string find_program(const char* name);

class MosquittoBroker {
 public:
  MosquittoBroker();
  ~MosquittoBroker();  // stops the broker and removes its directory

  // false (with the reason in error()) when the broker did not come up.
  bool start();
  uint16_t port() const { return port_; }
  const std::string& error() const { return error_; }
  std::string log() const;

  // mosquitto_sub with the broker's host and port prepended; returns its output (stdout and stderr).
  std::string subscribe(const std::string& arguments) const;

 private:
  std::string dir_;
  uint16_t port_;
  pid_t pid_;
  std::string error_;
};

#endif
