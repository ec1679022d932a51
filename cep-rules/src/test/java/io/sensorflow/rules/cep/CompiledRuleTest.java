package io.sensorflow.rules.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import java.time.Duration;
import java.util.List;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.Quantifier;
import org.junit.jupiter.api.Test;

class CompiledRuleTest {

    static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "hot run", Metric.TEMPERATURE, true, 70, 3,
            Duration.ofMinutes(1));

    @Test
    void theDefaultRulesCompileAndSilenceIsLeftToItsOwnOperator() {
        List<Rule> rules = RuleFileLoader.loadDefault().rules();
        for (Rule r : rules) {
            if (CompiledRule.compiles(r)) {
                CompiledRule c = CompiledRule.of(r);
                assertThat(c.pattern()).isNotNull();
                assertThat(c.selector()).isNotNull();
            } else {
                assertThat(r).isInstanceOf(SilenceRule.class);
                assertThatThrownBy(() -> CompiledRule.of(r)).hasMessageContaining(r.id()).hasMessageContaining("silence");
                assertThat(RulePatterns.silence((SilenceRule) r).getWindowSize(
                        org.apache.flink.cep.pattern.WithinType.FIRST_AND_LAST)).contains(((SilenceRule) r).after());
            }
        }
    }

    @Test
    void aSequenceIsCountConsecutiveReadingsPastTheThresholdMatchedAtEveryOneWithWithinOnTheirOwnTimes() {
        Pattern<RuleEvent, RuleEvent> p = RulePatterns.sequence(HOT);
        assertThat(p.getName()).isEqualTo("last");
        Pattern<RuleEvent, ?> run = p.getPrevious();
        assertThat(run.getName()).isEqualTo("run");
        assertThat(run.getTimes()).isEqualTo(Quantifier.Times.of(2, 2, null));
        assertThat(run.getQuantifier().getInnerConsumingStrategy()).isEqualTo(Quantifier.ConsumingStrategy.STRICT);
        assertThat(p.getQuantifier().getConsumingStrategy()).isEqualTo(Quantifier.ConsumingStrategy.STRICT);
        // within is a condition on the events' own times (held readings come stamped later), not CEP's window
        assertThat(p.getWindowSize(org.apache.flink.cep.pattern.WithinType.FIRST_AND_LAST)).isEmpty();
        assertThat(run.getAfterMatchSkipStrategy()).isEqualTo(AfterMatchSkipStrategy.noSkip());
    }

    @Test
    void theUidChangesWithTheDefinitionButNotWithSeverityOrDescription() {
        String uid = CompiledRule.uid(HOT);
        assertThat(uid).startsWith("rule-hot-");
        assertThat(CompiledRule.uid(new SequenceRule("hot", Severity.INFO, "other words", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1)))).isEqualTo(uid);
        assertThat(CompiledRule.uid(new SequenceRule("hot", Severity.CRITICAL, "hot run", Metric.TEMPERATURE, true, 75, 3,
                Duration.ofMinutes(1)))).isNotEqualTo(uid);
        assertThat(CompiledRule.uid(new SequenceRule("hot", Severity.CRITICAL, "hot run", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofSeconds(61)))).isNotEqualTo(uid);
    }

    @Test
    void aScopeIsPartOfTheDefinitionAndNoScopeKeepsTheUidOfBefore() {
        String uid = CompiledRule.uid(HOT);
        assertThat(uid).as("the uid of an unscoped rule, as before scopes").isEqualTo("rule-hot-"
                + java.util.UUID.nameUUIDFromBytes("sequence|TEMPERATURE|true|70.0|3|60000".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)).toString().substring(0, 8));
        SequenceRule freezers = new SequenceRule("hot", Severity.CRITICAL, "hot run", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1), 3, Duration.ZERO, SensorScope.matching("freezer-.*"));
        assertThat(CompiledRule.uid(freezers)).isNotEqualTo(uid);
        assertThat(CompiledRule.uid(new SequenceRule("hot", Severity.CRITICAL, "hot run", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1), 3, Duration.ZERO, SensorScope.matching("freezer-.+")))).isNotEqualTo(CompiledRule.uid(freezers));
        SilenceRule quiet = new SilenceRule("quiet", Severity.INFO, "", Duration.ofMinutes(5));
        String a = CompiledRule.uid(new SilenceRule("quiet", Severity.INFO, "", Duration.ofMinutes(5), SensorScope.ids(List.of("a", "b"))));
        assertThat(a).isNotEqualTo(CompiledRule.uid(quiet));
        assertThat(CompiledRule.uid(new SilenceRule("quiet", Severity.INFO, "", Duration.ofMinutes(5), SensorScope.ids(List.of("b", "a")))))
                .as("the order of the ids does not matter").isEqualTo(a);
        assertThat(CompiledRule.uid(new SilenceRule("quiet", Severity.INFO, "", Duration.ofMinutes(5), SensorScope.ids(List.of("a|1:b")))))
                .isNotEqualTo(a);
    }

    @Test
    void aSequenceResolvesOnOneEventThatCarriesItsStretchAndOnlyThoseReachItsOperator() throws Exception {
        CompiledRule c = CompiledRule.of(HOT);
        assertThat(c.resolution().getName()).isEqualTo(RulePatterns.STRETCH);
        assertThat(c.resolution().getPrevious()).as("one event: CEP keeps no partial match per stretch").isNull();
        assertThat(CompiledRule.resolutionUid(HOT)).isEqualTo(CompiledRule.uid(HOT) + "-p3-resolved-" + HOT.resolveReadings());
        var input = RulePatterns.resolvingInput(HOT);
        RuleEvent last = stretchEnd(HOT.resolveReadings());
        assertThat(input.filter(last)).isTrue();
        assertThat(input.filter(stretchEnd(HOT.resolveReadings() - 1))).as("earlier in its stretch").isFalse();
        RuleEvent extreme = RuleEvent.of("a", 10, 75, RuleEvent.EXTREME, 10);
        assertThat(input.filter(extreme)).isFalse();
        assertThat(RulePatterns.resolvingInput(StuckRule.ofReadings("stuck", Severity.WARNING, Metric.HUMIDITY, 3)))
                .as("a stuck rule's resolution gets every event").isNull();
    }

    /** A sequence's reading within HOT's threshold, the {@code place}-th after one at 75 °C. */
    private static RuleEvent stretchEnd(int place) {
        RuleEvent e = RuleEvent.of("a", 100, 50, place == 1 ? RuleEvent.BACK : RuleEvent.NORMAL, 20);
        e.metTime = 10;
        e.metValue = 75;
        e.runLength = place;
        return e;
    }

    @Test
    void aStuckRuleIsOneEventCarryingItsRunAndResolvesAtTheFirstOtherValue() {
        StuckRule three = StuckRule.ofReadings("stuck", Severity.WARNING, Metric.HUMIDITY, 3);
        CompiledRule c = CompiledRule.of(three);
        assertThat(c.selector()).isInstanceOf(StuckCandidates.class);
        assertThat(c.pattern().getName()).isEqualTo("run");
        assertThat(c.pattern().getPrevious()).isNull();
        assertThat(c.resolution().getName()).isEqualTo("back");
        assertThat(c.resolution().getPrevious()).isNull();
        assertThat(CompiledRule.uid(three)).isNotEqualTo(CompiledRule.uid(StuckRule.ofReadings("stuck", Severity.WARNING,
                Metric.HUMIDITY, 4)));
        assertThat(CompiledRule.uid(three)).isNotEqualTo(CompiledRule.uid(StuckRule.ofDuration("stuck", Severity.WARNING,
                Metric.HUMIDITY, Duration.ofMillis(3))));
        assertThat(CompiledRule.resolutionUid(three)).isEqualTo(CompiledRule.uid(three) + "-p2-resolved-1");
        assertThat(CompiledRule.patternUid(three)).isEqualTo(CompiledRule.uid(three) + "-p2");
        assertThat(CompiledRule.lifecycleUid(three)).isEqualTo(CompiledRule.uid(three) + "-lifecycle");
    }

    @Test
    void anOutlierRuleIsOneEventCarryingItsWindowAndEveryFieldOfItsMeaningIsInItsUid() {
        OutlierRule ten = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3, 10);
        CompiledRule c = CompiledRule.of(ten);
        assertThat(c.selector()).isInstanceOf(OutlierCandidates.class);
        assertThat(c.pattern().getName()).isEqualTo("outlier");
        assertThat(c.pattern().getPrevious()).isNull();
        assertThat(c.resolution().getName()).isEqualTo("back");
        assertThat(c.resolution().getPrevious().getName()).isEqualTo("met");
        String uid = CompiledRule.uid(ten);
        assertThat(uid).startsWith("rule-spike-");
        assertThat(List.of(
                OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3.5, 10),
                OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3, 11),
                OutlierRule.ofReadings("spike", Severity.WARNING, Metric.HUMIDITY, 3, 10),
                OutlierRule.ofDuration("spike", Severity.WARNING, Metric.TEMPERATURE, 3, Duration.ofMillis(10)),
                ten.with(9, 10, Duration.ZERO, SensorScope.ALL),
                ten.with(10, 10, Duration.ZERO, SensorScope.ids(List.of("a")))))
                .extracting(CompiledRule::uid).doesNotContain(uid).doesNotHaveDuplicates();
        // what only changes an episode's life keeps the uid of the firing pattern and selector
        assertThat(CompiledRule.uid(ten.with(10, 3, Duration.ofMinutes(5), SensorScope.ALL))).isEqualTo(uid);
        assertThat(CompiledRule.uid(new OutlierRule("spike", Severity.CRITICAL, "other words", Metric.TEMPERATURE, 3, 10,
                null, 10, 10, Duration.ZERO, SensorScope.ALL))).isEqualTo(uid);
        assertThat(CompiledRule.resolutionUid(ten)).endsWith("-resolved-10");
    }
}
