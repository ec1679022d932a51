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
}
