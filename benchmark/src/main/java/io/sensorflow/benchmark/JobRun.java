package io.sensorflow.benchmark;

import io.sensorflow.job.SensorJob;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.sink.PipelineSinks;
import io.sensorflow.job.source.KafkaReadingSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the production job, bounded, in a local MiniCluster, and times it; {@link #main} in a child JVM. */
final class JobRun {

    /** Args: the parallelism, then the job's settings. Prints the wall time and net runtime in ms. */
    public static void main(String[] args) throws Exception {
        String[] jobArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
        JobConfig config = JobConfig.parse(jobArgs, Map.of(), new PrintWriter(new StringWriter()));
        Result r = run(config, Integer.parseInt(args[0]));
        System.out.println(ChildJvm.RESULT + r.wallTime().toMillis() + " " + r.netRuntime().toMillis());
        System.exit(0); // Flink's and Kafka's non-daemon threads would keep the JVM alive
    }

    record Result(Duration wallTime, Duration netRuntime) {}

    private JobRun() {}

    static Result run(JobConfig config, int parallelism) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        SensorJob.prepareExternalSystems(config);
        SensorJob.configure(env, config);
        new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute(config.jobName);
        return new Result(Duration.ofNanos(System.nanoTime() - t0), Duration.ofMillis(result.getNetRuntime()));
    }
}
