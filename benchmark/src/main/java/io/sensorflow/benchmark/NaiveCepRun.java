package io.sensorflow.benchmark;

import io.sensorflow.job.SensorJob;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.source.KafkaReadingSource;
import io.sensorflow.job.source.ReadingWatermarks;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.RulePatterns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The straightforward way, for comparison: every valid reading keyed by sensor into FlinkCEP, a
 * 3-in-a-row temperature pattern and the textbook silence pattern, matches discarded. No
 * aggregation, no sinks. {@link #main} runs in a child JVM and prints its wall time.
 */
final class NaiveCepRun {

    private NaiveCepRun() {}

    /** Args: the parallelism, then the job's settings (bounded). */
    public static void main(String[] args) throws Exception {
        String[] jobArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
        JobConfig config = JobConfig.parse(jobArgs, Map.of(), new PrintWriter(new StringWriter()));
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(Integer.parseInt(args[0]), conf);
        SensorJob.configure(env, config);

        KeyedStream<RuleEvent, String> events = env
                .fromSource(KafkaReadingSource.create(config), ReadingWatermarks.strategy(
                        config.outOfOrderness, config.watermarkGranularity, config.idleTimeout), "Kafka readings")
                .filter(Reading::isValid)
                .map(r -> RuleEvent.of(r.sensorId, r.eventTime, r.temperature, RuleEvent.EXTREME, r.eventTime))
                .returns(TypeInformation.of(RuleEvent.class))
                .keyBy(e -> e.sensorId, Types.STRING);
        Pattern<RuleEvent, RuleEvent> hot = Pattern.<RuleEvent>begin("run")
                .where(SimpleCondition.of(e -> e.value > 70)).times(3).consecutive().within(Duration.ofMinutes(1));
        Pattern<RuleEvent, RuleEvent> silence =
                RulePatterns.silence(new SilenceRule("silence", Severity.WARNING, "", Duration.ofMinutes(5)));
        for (Pattern<RuleEvent, RuleEvent> p : List.of(hot, silence)) {
            CEP.pattern(events, p).inEventTime()
                    .process(new PatternProcessFunction<RuleEvent, String>() {
                        @Override
                        public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<String> out) {
                            out.collect(match.keySet().toString());
                        }
                    }, Types.STRING)
                    .sinkTo(new DiscardingSink<>());
        }
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("naive-cep");
        System.out.println(ChildJvm.RESULT + (System.nanoTime() - t0) / 1_000_000 + " " + result.getNetRuntime());
        System.exit(0);
    }
}
