#include "check.h"

#include <stdio.h>
#include <string.h>

namespace check {

namespace {

struct TestCase {
  const char* name;
  TestFunction function;
};

const int MAX_TESTS = 512;
TestCase g_tests[MAX_TESTS];
int g_test_count = 0;
int g_failures_in_current = 0;
bool g_skipped_current = false;

void report_failure(const char* file, int line) {
  ++g_failures_in_current;
  fprintf(stdout, "    %s:%d: ", file, line);
}

void print_bytes(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) fprintf(stdout, "%02x%s", p[i], i + 1 < n ? " " : "");
}

}  // namespace

Registration::Registration(const char* name, TestFunction function) {
  if (g_test_count == MAX_TESTS) {
    fprintf(stderr, "too many tests, raise MAX_TESTS\n");
    return;
  }
  g_tests[g_test_count].name = name;
  g_tests[g_test_count].function = function;
  ++g_test_count;
}

bool is_true(bool condition, const char* expression, const char* file, int line) {
  if (condition) return true;
  report_failure(file, line);
  fprintf(stdout, "CHECK(%s) failed\n", expression);
  return false;
}

bool equal_ints(int64_t actual, int64_t expected, const char* expression, const char* file, int line) {
  if (actual == expected) return true;
  report_failure(file, line);
  fprintf(stdout, "%s == %lld, expected %lld\n", expression, static_cast<long long>(actual),
          static_cast<long long>(expected));
  return false;
}

bool equal_strings(const char* actual, const char* expected, const char* expression, const char* file, int line) {
  if (actual != NULL && expected != NULL && strcmp(actual, expected) == 0) return true;
  report_failure(file, line);
  fprintf(stdout, "%s ==\n      \"%s\"\n    expected\n      \"%s\"\n", expression, actual ? actual : "(null)",
          expected ? expected : "(null)");
  return false;
}

bool equal_bytes(const uint8_t* actual, size_t actual_length, const uint8_t* expected, size_t expected_length,
                 const char* expression, const char* file, int line) {
  if (actual_length == expected_length && memcmp(actual, expected, actual_length) == 0) return true;
  report_failure(file, line);
  fprintf(stdout, "%s differs\n      got      (%zu): ", expression, actual_length);
  print_bytes(actual, actual_length);
  fprintf(stdout, "\n      expected (%zu): ", expected_length);
  print_bytes(expected, expected_length);
  fprintf(stdout, "\n");
  return false;
}

void skip(const char* reason) {
  g_skipped_current = true;
  fprintf(stdout, "    SKIPPED: %s\n", reason);
}

int run_all_tests() {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  for (int i = 0; i < g_test_count; ++i) {
    g_failures_in_current = 0;
    g_skipped_current = false;
    fprintf(stdout, "[ RUN  ] %s\n", g_tests[i].name);
    fflush(stdout);
    g_tests[i].function();
    if (g_failures_in_current > 0) {
      ++failed;
      fprintf(stdout, "[ FAIL ] %s\n", g_tests[i].name);
    } else if (g_skipped_current) {
      ++skipped;
      fprintf(stdout, "[ SKIP ] %s\n", g_tests[i].name);
    } else {
      ++passed;
      fprintf(stdout, "[  OK  ] %s\n", g_tests[i].name);
    }
  }
  fprintf(stdout, "\n");
  if (skipped > 0) {
    fprintf(stdout, "%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  } else {
    fprintf(stdout, "%d passed, %d failed\n", passed, failed);
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace check
