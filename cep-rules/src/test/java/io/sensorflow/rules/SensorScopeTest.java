package io.sensorflow.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SensorScopeTest {

    @Test
    void aPatternThatBacktracksWithoutEndGivesUpInsteadOfStallingTheSource() {
        // Unbounded, this match reads the id 905 million times at 30 a's (22 s here) and grows as n^12:
        // the test would not end. (JDK 9 and later defuse the textbook (a+)+b and (a|aa)+b themselves.)
        SensorScope scope = SensorScope.matching("(.*a){12}");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(scope.includes("a".repeat(40) + "!")).isFalse();
            assertThat(scope.includes("a".repeat(40) + "!")).isFalse(); // and again: nothing is left half-done
        });
        assertThat(scope.includes("a".repeat(12))).isTrue();
    }

    @Test
    void theProbesFindTheUsualCatastrophicPatternsAndPassSaneOnes() {
        assertThat(SensorScope.costlyProbe("(.*a){12}")).isEqualTo("a".repeat(127) + "\u0001");
        assertThat(SensorScope.costlyProbe("(.*[0-9]){10}")).isEqualTo("0".repeat(127) + "\u0001");
        assertThat(SensorScope.costlyProbe("(a+)+b")).isNull(); // JDK 9 and later no longer backtrack on these
        assertThat(SensorScope.costlyProbe("(a|aa)+b")).isNull();
        assertThat(SensorScope.costlyProbe("freezer-[0-9]+")).isNull();
        assertThat(SensorScope.costlyProbe("(greenhouse|barn)-[a-z0-9_-]{1,40}")).isNull();
        assertThat(SensorScope.costlyProbe(".*-(01|02|03)")).isNull();
    }

    @Test
    void aSanePatternMatchesWholeIdsAsBefore() {
        SensorScope scope = SensorScope.matching("freezer-[0-9]+");
        assertThat(scope.includes("freezer-12")).isTrue();
        assertThat(scope.includes("freezer-12x")).isFalse();
        assertThat(scope.includes("x".repeat(SensorScope.MAX_ID_LENGTH))).isFalse();
    }
}
