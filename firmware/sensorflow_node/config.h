// Per-device settings of the sensorflow node.
//
// Do not put real credentials here: create config_local.h next to this file
// (it is gitignored) and #define the values to override, e.g.
//   #define SF_WIFI_SSID "greenhouse-wifi"
//   #define SF_WIFI_PASSWORD "..."
//   #define SF_MQTT_HOST "192.168.1.20"
//   #define SF_SENSOR_ID "greenhouse-01"
// Any value can also be given as a build flag (-DSF_SENSOR_ID=\"greenhouse-02\").
#ifndef SENSORFLOW_NODE_CONFIG_H
#define SENSORFLOW_NODE_CONFIG_H

#if defined(__has_include)
#if __has_include("config_local.h")
#include "config_local.h"
#endif
#endif

// --- network ---
#ifndef SF_WIFI_SSID
#define SF_WIFI_SSID "your-ssid"
#endif
#ifndef SF_WIFI_PASSWORD
#define SF_WIFI_PASSWORD "your-password"
#endif
#ifndef SF_MQTT_HOST
#define SF_MQTT_HOST "mqtt.lan"  // host name or IPv4 address of the broker
#endif
#ifndef SF_MQTT_PORT
#define SF_MQTT_PORT 1883
#endif
// Leave undefined for an anonymous broker.
// #define SF_MQTT_USERNAME "node"
// #define SF_MQTT_PASSWORD "secret"
#ifndef SF_NTP_SERVER
#define SF_NTP_SERVER "pool.ntp.org"
#endif

// --- identity ---
// Also the MQTT client id: must be unique per broker, and stable, because the
// broker keeps this node's session (clean session = false) under it.
// Topics: sensors/<id>/readings and sensors/<id>/status. No '/', '+' or '#'.
#ifndef SF_SENSOR_ID
#define SF_SENSOR_ID "greenhouse-01"
#endif

// --- timing ---
#ifndef SF_SAMPLE_INTERVAL_MS
#define SF_SAMPLE_INTERVAL_MS 10000UL  // DHT11 needs >= 1 s between reads
#endif
#ifndef SF_MQTT_KEEP_ALIVE_S
#define SF_MQTT_KEEP_ALIVE_S 30
#endif
#ifndef SF_NTP_RESYNC_MS
#define SF_NTP_RESYNC_MS 3600000UL  // the ESP32 crystal drifts ~ seconds per day
#endif

// --- buffering ---
// Readings kept while the broker or NTP is unreachable (~20 bytes each). At the
// default interval 64 readings cover ~10 minutes; when full, the oldest is dropped.
// Must hold less than 24 days of readings (the millis()-based timestamps).
#ifndef SF_QUEUE_CAPACITY
#define SF_QUEUE_CAPACITY 64
#endif

// --- pins (ESP32 GPIO numbers; avoid strapping pins 0, 2, 5, 12, 15) ---
#ifndef SF_PIN_DHT11
#define SF_PIN_DHT11 4  // data, 10 kOhm pull-up to 3.3 V
#endif
#ifndef SF_PIN_HCSR04_TRIG
#define SF_PIN_HCSR04_TRIG 26
#endif
#ifndef SF_PIN_HCSR04_ECHO
#define SF_PIN_HCSR04_ECHO 27  // through a 1k/2k divider: the module drives 5 V
#endif
#ifndef SF_PIN_PIR
#define SF_PIN_PIR 33
#endif

#endif
