// Host test runner: every test_*.cpp registers its cases with TEST().
#include "check.h"

int main() { return check::run_all_tests(); }
