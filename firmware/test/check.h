// A minimal test harness: TEST() registers a case, CHECK* record failures and
// go on, REQUIRE* stop the case. run_all_tests() prints "N passed, N failed".
#ifndef SF_TEST_CHECK_H
#define SF_TEST_CHECK_H

#include <stddef.h>
#include <stdint.h>

namespace check {

typedef void (*TestFunction)();

struct Registration {
  Registration(const char* name, TestFunction function);
};

bool is_true(bool condition, const char* expression, const char* file, int line);
bool equal_ints(int64_t actual, int64_t expected, const char* expression, const char* file, int line);
bool equal_strings(const char* actual, const char* expected, const char* expression, const char* file, int line);
bool equal_bytes(const uint8_t* actual, size_t actual_length, const uint8_t* expected, size_t expected_length,
                 const char* expression, const char* file, int line);
// Marks the running test as skipped (it then counts neither as passed nor failed).
void skip(const char* reason);

// Runs every registered test, prints the summary; returns the process exit code.
int run_all_tests();

}  // namespace check

#define TEST(name)                                                     \
  static void name();                                                  \
  static const check::Registration name##_registration(#name, &name); \
  static void name()

#define CHECK(cond) check::is_true((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(actual, expected) \
  check::equal_ints(static_cast<int64_t>(actual), static_cast<int64_t>(expected), #actual, __FILE__, __LINE__)
#define CHECK_STR(actual, expected) check::equal_strings((actual), (expected), #actual, __FILE__, __LINE__)
#define CHECK_BYTES(actual, actual_length, expected, expected_length) \
  check::equal_bytes((actual), (actual_length), (expected), (expected_length), #actual, __FILE__, __LINE__)

#define REQUIRE(cond) \
  do {                \
    if (!CHECK(cond)) return; \
  } while (0)
#define REQUIRE_EQ(actual, expected)         \
  do {                                       \
    if (!CHECK_EQ(actual, expected)) return; \
  } while (0)

#endif
