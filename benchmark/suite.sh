#!/usr/bin/env bash
# The whole benchmark suite of issue 6 in one run (see benchmark/README.md): throughput against the
# single-threaded baseline, alert latency at 10,000 readings/s (alerts exactly once and at least
# once), 1,000,000 sensors on the heap and RocksDB state backends, recovery after TaskManagers are
# killed (MiniCluster, and SIGKILLed TaskManager processes). Writes one results file,
# benchmark/results/DATE-suite.txt: the machine, a table of the figures against the targets, the details.
#   benchmark/suite.sh
#   benchmark/suite.sh --suite-latency 60 --kills 5     # any option of benchmark/run.sh --help
set -euo pipefail
exec "$(dirname "$0")/run.sh" --suite "$@"
