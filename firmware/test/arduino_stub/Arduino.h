// Declarations of the ESP32 Arduino core API used by sensorflow_node, with the
// core's signatures (arduino-esp32 2.x/3.x), for `make sketch-check` only:
// the sketch is compiled for syntax and types, never linked or run.
#ifndef SF_STUB_ARDUINO_H
#define SF_STUB_ARDUINO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HIGH 0x1
#define LOW 0x0
#define INPUT 0x01
#define OUTPUT 0x03
#define INPUT_PULLUP 0x05

void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);
unsigned long millis();
unsigned long micros();
void delay(uint32_t ms);
void delayMicroseconds(uint32_t us);
unsigned long pulseIn(uint8_t pin, uint8_t state, unsigned long timeout = 1000000L);
long random(long howbig);
long random(long howsmall, long howbig);

// FreeRTOS critical sections (freertos/portmacro.h on the ESP32).
typedef struct {
  uint32_t owner;
  uint32_t count;
} portMUX_TYPE;
#define portMUX_INITIALIZER_UNLOCKED {0, 0}
void portENTER_CRITICAL(portMUX_TYPE* mux);
void portEXIT_CRITICAL(portMUX_TYPE* mux);

class Print {
 public:
  size_t print(const char* text);
  size_t println(const char* text);
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
};

class HardwareSerial : public Print {
 public:
  void begin(unsigned long baud);
};
extern HardwareSerial Serial;

class EspClass {
 public:
  uint64_t getEfuseMac();
};
extern EspClass ESP;

#endif
