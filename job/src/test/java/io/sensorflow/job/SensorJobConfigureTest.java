package io.sensorflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.config.JobConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class SensorJobConfigureTest {

    private static StreamExecutionEnvironment configured(String... args) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SensorJob.configure(env, JobConfig.parse(args, Map.of(), new PrintWriter(new StringWriter())));
        return env;
    }

    @Test
    void aWatermarkInStepsFinerThanTheEmitIntervalIsEmittedAtEachStep() {
        assertThat(configured("--watermark-granularity", "100ms").getConfig().getAutoWatermarkInterval()).isEqualTo(100);
    }

    @Test
    void coarserStepsKeepFlinksEmitInterval() {
        assertThat(configured().getConfig().getAutoWatermarkInterval()).isEqualTo(200);
        assertThat(configured("--watermark-granularity", "5s").getConfig().getAutoWatermarkInterval()).isEqualTo(200);
    }

    @Test
    void checkpointsAsConfigured() {
        assertThat(configured("--checkpoint-interval", "3s").getCheckpointConfig().getCheckpointInterval())
                .isEqualTo(3_000);
    }

    @Test
    void runAsAPlainJavaProgramWithoutACheckpointDirectoryCheckpointsUnderTheTempDirectory() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThat(env).isInstanceOf(org.apache.flink.streaming.api.environment.LocalStreamEnvironment.class);
        String dir = SensorJob.checkpointDirectory(env, parse("--job-name", "plain"));
        assertThat(dir).isEqualTo(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "sensorflow-checkpoints", "plain")
                .toUri().toString());
        SensorJob.configure(env, parse("--job-name", "plain"));
        assertThat(env.getConfiguration().get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(dir);
    }

    @Test
    void theGivenDirectoryWinsAndTheClustersOwnIsLeftToIt() {
        StreamExecutionEnvironment local = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThat(SensorJob.checkpointDirectory(local, parse("--checkpoint-dir", "file:///c"))).isEqualTo("file:///c");
        org.apache.flink.configuration.Configuration cluster = new org.apache.flink.configuration.Configuration();
        cluster.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://b/c");
        assertThat(SensorJob.checkpointDirectory(new StreamExecutionEnvironment(cluster), parse())).isNull();
    }

    @Test
    void onAClusterWithNoCheckpointDirectoryAnywhereTheJobDoesNotStart() {
        StreamExecutionEnvironment cluster = new StreamExecutionEnvironment(new org.apache.flink.configuration.Configuration());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SensorJob.checkpointDirectory(cluster, parse()))
                .isInstanceOf(io.sensorflow.job.config.ConfigException.class)
                .hasMessageStartingWith("--checkpoint-dir is not set, nor the cluster's execution.checkpointing.dir")
                .hasMessageContaining("5 MB");
    }

    private static JobConfig parse(String... args) {
        return JobConfig.parse(args, Map.of(), new PrintWriter(new StringWriter()));
    }
}
