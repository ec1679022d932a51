package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The job's alert operators keep the uids savepoints restore by and the names the web UI, the
 * metrics and RestSubmissionIT show: those of main at afccfa9, written out, the stateless
 * filters before each firing pattern that came after it, and the sequence's and rise's
 * resolution in its one-event form (p3), with its filter.
 */
class RuleOperatorsTest {

    @Test
    void everyRuleKindBecomesTheOperatorsOfAfccfa9WithTheirUidsAndNames() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var readings = env.fromSequence(0, 1).map(i -> new Reading()).returns(TypeInformation.of(Reading.class));
        new RuleOperators(CandidateStateFormatTest.ALL_KINDS, Duration.ofDays(7), 1_000_000).alerts(readings)
                .sinkTo(new DiscardingSink<>());
        StreamGraph graph = env.getStreamGraph();
        List<String> operators = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            if (node.getTransformationUID() != null) {
                operators.add(node.getTransformationUID() + " " + node.getOperatorName());
            }
        }
        operators.sort(null);
        assertThat(operators).containsExactly(
                "rule-hot-fb70e4d6-lifecycle Alert lifecycle: hot",
                "rule-hot-fb70e4d6-p2 CEP sequence: hot",
                "rule-hot-fb70e4d6-p2-input Firing input: hot",
                "rule-hot-fb70e4d6-p3-resolved-3 CEP sequence resolved: hot",
                "rule-hot-fb70e4d6-p3-resolved-3-input Resolving input: hot",
                "rule-outlier-404b6dc1-lifecycle Alert lifecycle: outlier",
                "rule-outlier-404b6dc1-p2 CEP outlier: outlier",
                "rule-outlier-404b6dc1-p2-input Firing input: outlier",
                "rule-outlier-404b6dc1-p2-resolved-10 CEP outlier resolved: outlier",
                "rule-outlier-timed-43d874b6-lifecycle Alert lifecycle: outlier-timed",
                "rule-outlier-timed-43d874b6-p2 CEP outlier: outlier-timed",
                "rule-outlier-timed-43d874b6-p2-input Firing input: outlier-timed",
                "rule-outlier-timed-43d874b6-p2-resolved-10 CEP outlier resolved: outlier-timed",
                "rule-quiet-cb290404-cep CEP silence: quiet",
                "rule-quiet-few-53f84bf2-cep CEP silence: quiet-few",
                "rule-rise-f8b1c8f3-lifecycle Alert lifecycle: rise",
                "rule-rise-f8b1c8f3-p2 CEP rise: rise",
                "rule-rise-f8b1c8f3-p2-input Firing input: rise",
                "rule-rise-f8b1c8f3-p3-resolved-3 CEP rise resolved: rise",
                "rule-rise-f8b1c8f3-p3-resolved-3-input Resolving input: rise",
                "rule-stuck-f3d10b5f-lifecycle Alert lifecycle: stuck",
                "rule-stuck-f3d10b5f-p2 CEP stuck: stuck",
                "rule-stuck-f3d10b5f-p2-input Firing input: stuck",
                "rule-stuck-f3d10b5f-p2-resolved-1 CEP stuck resolved: stuck",
                "select-alert-candidates Select alert candidates");
        // Every CEP operator reads the selector (a firing pattern, and a sequence's or rise's resolution,
        // through its filter); every lifecycle its rule's two CEP operators.
        for (StreamNode node : graph.getStreamNodes()) {
            List<String> inputs = new ArrayList<>();
            for (var edge : node.getInEdges()) {
                inputs.add(graph.getStreamNode(edge.getSourceId()).getOperatorName());
            }
            inputs.sort(null);
            String name = node.getOperatorName();
            if (name.startsWith("CEP sequence resolved: ") || name.startsWith("CEP rise resolved: ")) {
                assertThat(inputs).as(name).containsExactly("Resolving input: " + name.substring(name.indexOf(": ") + 2));
            } else if (name.startsWith("CEP ") && name.contains(" resolved: ") || name.startsWith("CEP silence: ")
                    || name.startsWith("Firing input: ") || name.startsWith("Resolving input: ")) {
                assertThat(inputs).as(name).containsExactly("Select alert candidates");
            } else if (name.startsWith("CEP ")) {
                assertThat(inputs).as(name).containsExactly("Firing input: " + name.substring(name.indexOf(": ") + 2));
            } else if (name.startsWith("Alert lifecycle: ")) {
                String rule = name.substring("Alert lifecycle: ".length());
                assertThat(inputs).as(name).hasSize(2).allMatch(i -> i.startsWith("CEP ") && i.endsWith(": " + rule));
            }
        }
    }
}
