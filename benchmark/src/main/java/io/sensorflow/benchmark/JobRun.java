package io.sensorflow.benchmark;

import io.sensorflow.job.SensorJob;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.sink.PipelineSinks;
import io.sensorflow.job.source.KafkaReadingSource;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the production job, bounded, in a local MiniCluster, and times it. */
final class JobRun {

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
