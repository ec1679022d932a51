package io.sensorflow.rules.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.SequenceRule;
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
    void aSequenceIsCountConsecutiveExtremesWithinTheDurationSkippingPastEachMatch() {
        Pattern<RuleEvent, RuleEvent> p = RulePatterns.sequence(HOT);
        assertThat(p.getName()).isEqualTo("run");
        assertThat(p.getTimes()).isEqualTo(Quantifier.Times.of(3, 3, null));
        assertThat(p.getQuantifier().hasProperty(Quantifier.QuantifierProperty.TIMES)).isTrue();
        assertThat(p.getQuantifier().getInnerConsumingStrategy()).isEqualTo(Quantifier.ConsumingStrategy.STRICT);
        assertThat(p.getWindowSize(org.apache.flink.cep.pattern.WithinType.FIRST_AND_LAST)).contains(Duration.ofMinutes(1));
        assertThat(p.getAfterMatchSkipStrategy()).isEqualTo(AfterMatchSkipStrategy.skipPastLastEvent());
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
}
