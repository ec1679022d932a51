// Stub of the ESP32 WiFi library subset used by sensorflow_node (see Arduino.h here).
#ifndef SF_STUB_WIFI_H
#define SF_STUB_WIFI_H

#include "Arduino.h"

typedef enum {
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_DISCONNECTED = 6
} wl_status_t;

typedef enum { WIFI_MODE_NULL = 0, WIFI_MODE_STA = 1 } wifi_mode_t;
#define WIFI_STA WIFI_MODE_STA

class WiFiClass {
 public:
  bool mode(wifi_mode_t mode);
  bool setAutoReconnect(bool auto_reconnect);
  wl_status_t begin(const char* ssid, const char* passphrase = NULL);
  wl_status_t status();
};
extern WiFiClass WiFi;

#endif
