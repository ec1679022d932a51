#include "sf_text_writer.h"

namespace sf {

TextWriter::TextWriter(char* buf, size_t cap) : buf_(buf), cap_(cap), len_(0), overflowed_(false) {
  if (cap_ > 0) buf_[0] = '\0';
}

void TextWriter::put_char(char c) {
  if (overflowed_) return;
  // One byte stays reserved for the terminating NUL.
  if (len_ + 1 >= cap_) {
    overflowed_ = true;
    return;
  }
  buf_[len_++] = c;
  buf_[len_] = '\0';
}

void TextWriter::put_str(const char* s) {
  while (*s != '\0') put_char(*s++);
}

void TextWriter::put_uint(uint32_t value) { put_uint_padded(value, 1); }

void TextWriter::put_uint_padded(uint32_t value, uint8_t width) {
  char digits[10];  // 4294967295 has 10 digits
  uint8_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (uint8_t pad = n; pad < width; ++pad) put_char('0');
  while (n > 0) put_char(digits[--n]);
}

void TextWriter::put_tenths(int32_t tenths) {
  uint32_t magnitude;
  if (tenths < 0) {
    put_char('-');
    // Negate in unsigned arithmetic so INT32_MIN does not overflow.
    magnitude = 0u - static_cast<uint32_t>(tenths);
  } else {
    magnitude = static_cast<uint32_t>(tenths);
  }
  put_uint(magnitude / 10);
  put_char('.');
  put_char(static_cast<char>('0' + magnitude % 10));
}

}  // namespace sf
