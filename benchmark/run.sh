#!/usr/bin/env bash
# Builds the project and runs the throughput benchmark (see benchmark/README.md).
#   benchmark/run.sh                         # 6,000,000 readings from 10,000 sensors
#   benchmark/run.sh --readings 30000000
#   PROFILE=1 benchmark/run.sh               # also CPU stacks (async-profiler) in target/*.collapsed
set -euo pipefail
cd "$(dirname "$0")/.."
# package, not install: the classpath then names the reactor modules' target/ jars, and ~/.m2's
# io.sensorflow jars, which other builds on this machine test against, are left alone.
mvn -q -B -ntp package -DskipTests -pl benchmark -am
CP="benchmark/target/classes:$(cat benchmark/target/classpath.txt)"
# This JVM hosts Kafka and the simulator; the job and the baseline each run in a JVM of their own.
JAVA_OPTS=(-Xms6g -Xmx6g -XX:+UseParallelGC)
# Flink reflects into the JDK; these are the opens its own scripts pass.
JAVA_OPTS+=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED)
if [ -n "${PROFILE:-}" ]; then
  dir=target/async-profiler
  if [ ! -f "$dir/libasyncProfiler.so" ]; then
    mvn -q -B -ntp dependency:copy -Dartifact=tools.profiler:async-profiler:2.9 -DoutputDirectory="$dir"
    (cd "$dir" && unzip -o -q -j async-profiler-2.9.jar 'linux-x64/libasyncProfiler.so' 2>/dev/null || unzip -o -q -j async-profiler-2.9.jar '*/libasyncProfiler.so')
  fi
  # The job's and the baseline's JVMs write target/job.collapsed and target/baseline.collapsed.
  export ASYNC_PROFILER_LIB="$PWD/$dir/libasyncProfiler.so"
fi
exec java "${JAVA_OPTS[@]}" -cp "$CP" io.sensorflow.benchmark.PipelineBenchmark "$@"
