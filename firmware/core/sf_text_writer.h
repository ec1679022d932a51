// Bounded text output into a caller-provided char buffer.
#ifndef SF_TEXT_WRITER_H
#define SF_TEXT_WRITER_H

#include <stddef.h>
#include <stdint.h>

namespace sf {

// Appends text and never writes past the buffer. Once an append does not fit,
// the writer is marked overflowed and ignores everything after: the caller then
// discards the partial text. The buffer is NUL-terminated whenever cap > 0.
class TextWriter {
 public:
  TextWriter(char* buf, size_t cap);

  void put_char(char c);
  void put_str(const char* s);
  void put_uint(uint32_t value);
  // Zero-padded to at least `width` digits (timestamps: "08", "003").
  void put_uint_padded(uint32_t value, uint8_t width);
  // A fixed-point value in tenths as "-12.3": AVR's printf has no %f.
  void put_tenths(int32_t tenths);

  size_t length() const { return len_; }
  bool overflowed() const { return overflowed_; }

 private:
  char* buf_;
  size_t cap_;
  size_t len_;
  bool overflowed_;
};

}  // namespace sf

#endif
