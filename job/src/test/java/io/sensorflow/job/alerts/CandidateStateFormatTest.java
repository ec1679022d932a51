package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.cep.CandidateSelector;
import io.sensorflow.rules.cep.CompiledRule;
import io.sensorflow.rules.cep.RuleEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The selector's union-state entries as the job at afccfa9 wrote them (fixtures, made once by that
 * code; never regenerate them): the selector of today reads them and goes on as that job would have.
 */
class CandidateStateFormatTest {

    static final List<Rule> RULES = List.of(
            new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3, Duration.ofSeconds(20)),
            new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 10, Duration.ofMinutes(1)),
            StuckRule.ofReadings("stuck", Severity.WARNING, Metric.TEMPERATURE, 3),
            OutlierRule.ofReadings("outlier", Severity.WARNING, Metric.HUMIDITY, 3, 10),
            OutlierRule.ofDuration("outlier-timed", Severity.WARNING, Metric.TEMPERATURE, 3, Duration.ofSeconds(15)));
    static final List<SilenceRule> SILENCES = List.of(
            new SilenceRule("quiet", Severity.WARNING, "", Duration.ofSeconds(30)),
            new SilenceRule("quiet-few", Severity.WARNING, "", Duration.ofSeconds(10), SensorScope.matching("sensor-[0-3]")));
    /** The rules and the silences, in the order of a rule file. */
    static final List<Rule> ALL_KINDS = List.of(RULES.get(0), SILENCES.get(0), RULES.get(1), RULES.get(2), RULES.get(3),
            SILENCES.get(1), RULES.get(4));
    static final int PARTITIONS = 4;
    static final int SENSORS = 12;
    static final int SECONDS = 120;
    static final int FIRST_STOP = 50;
    static final int SECOND_STOP = 53;
    static final long BOUND_MS = 3_000;
    static final Path FIXTURES = Path.of("src/test/resources/io/sensorflow/job/alerts");

    /**
     * Restored from what afccfa9 wrote at the second stop (two subtasks, some entries still
     * unclaimed), the selector sends what it sends when restored from what it writes itself, and
     * what it sends when it does not stop there.
     */
    @Test
    void goesOnFromTheStateOfAfccfa9AsFromItsOwn() throws Exception {
        List<Reading> readings = scenario();
        SelectorRun first = run(1, p -> 0, null, 0);
        first.feed(readings, 0, FIRST_STOP);
        List<OperatorSubtaskState> s1 = first.snapshot(1);
        first.close();
        SelectorRun second = run(2, p -> p % 2, s1, 1);
        second.feed(readings, FIRST_STOP, SECOND_STOP);
        List<OperatorSubtaskState> own = second.snapshot(2);
        second.candidates.clear();
        second.feed(readings, SECOND_STOP, SECONDS); // as if it had not stopped
        second.close();
        SelectorRun fromOwn = run(2, p -> p % 2, own, 2);
        fromOwn.feed(readings, SECOND_STOP, SECONDS);
        fromOwn.close();

        List<OperatorSubtaskState> old = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            old.add(OperatorSnapshotUtil.readStateHandle(FIXTURES.resolve("alert-candidates-afccfa9-" + i + "-of-2.snapshot").toString()));
        }
        SelectorRun fromOld = run(2, p -> p % 2, old, 2);
        fromOld.feed(readings, SECOND_STOP, SECONDS);
        fromOld.close();

        for (String kind : List.of("hot ", "rise ", "stuck ", "outlier ", "outlier-timed ", "silence ")) {
            assertThat(fromOwn.candidates).as(kind).anyMatch(c -> c.startsWith(kind));
        }
        // Sorted: which sensor's events come first at one watermark follows the order sensors were heard from in.
        for (SelectorRun run : List.of(second, fromOwn, fromOld)) {
            run.candidates.sort(null);
        }
        assertThat(fromOwn.candidates).isEqualTo(second.candidates);
        // But for the outlier rules: their selector's state of afccfa9 (its format 1) does not follow the
        // episodes, so restored from it the selector sends every outlier from then on, each a match the
        // lifecycle takes or ignores as the textbook path's (OutlierCandidatesTest has the form).
        List<String> extra = new ArrayList<>(fromOld.candidates);
        for (String c : second.candidates) {
            assertThat(extra.remove(c)).as("restored from afccfa9's state, the selector sends %s", c).isTrue();
        }
        assertThat(extra).allMatch(c -> c.startsWith("outlier") && c.contains(" kind=" + RuleEvent.OUTLIER + " "));
    }

    /**
     * Every entry afccfa9 wrote reads and writes back to its very bytes (each rule's state as its
     * selector writes it today: a selector's own format has its own version).
     */
    @Test
    void readsAndWritesTheEntriesOfAfccfa9ByteForByte() throws Exception {
        List<String> lines = Files.readAllLines(FIXTURES.resolve("alert-candidates-afccfa9.entries"));
        assertThat(lines).hasSize(24);
        CandidateStateFormat format = new CandidateStateFormat(new RuleSelectors(RULES), new RuleScopes(RULES, SILENCES));
        int held = 0;
        for (String line : lines) {
            byte[] entry = HexFormat.of().parseHex(line);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry));
            CandidateStateFormat.Header header = CandidateStateFormat.Header.read(in);
            assertThat(header.version()).isEqualTo(1);
            SensorState s = format.read(in, header.version());
            s.claimed = header.claimed();
            held += s.readings.held();
            assertThat(format.write(s, header.writer(), header.writerParallelism())).isEqualTo(withRuleStatesOfToday(entry));
        }
        assertThat(held).as("readings held at the stop").isPositive();
    }

    /** {@code entry} (format version 1) with each rule's state as its selector reads and writes it today. */
    @SuppressWarnings("unchecked")
    private static byte[] withRuleStatesOfToday(byte[] entry) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(in.readUnsignedByte()); // version mark
        out.writeBoolean(in.readBoolean()); // claimed
        out.writeInt(in.readInt()); // writer
        out.writeInt(in.readInt()); // of how many
        out.writeUTF(in.readUTF()); // topic
        out.writeInt(in.readInt()); // partition
        out.writeUTF(in.readUTF()); // sensor
        out.writeLong(in.readLong()); // last released time
        int hashes = in.readInt(); // content hashes released at that time
        out.writeInt(hashes);
        for (int i = 0; i < hashes; i++) {
            out.writeLong(in.readLong());
        }
        int held = in.readInt();
        out.writeInt(held);
        for (int i = 0; i < held; i++) {
            out.writeLong(in.readLong()); // time
            out.writeLong(in.readLong()); // content hash
            out.writeDouble(in.readDouble()); // temperature
            out.writeDouble(in.readDouble()); // humidity
        }
        int states = in.readInt();
        out.writeInt(states);
        for (int i = 0; i < states; i++) {
            String uid = in.readUTF();
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            for (Rule rule : RULES) {
                if (CompiledRule.uid(rule).equals(uid)) {
                    var selector = (CandidateSelector<Object>) CompiledRule.of(rule).selector();
                    ByteArrayOutputStream again = new ByteArrayOutputStream();
                    selector.write(selector.read(new DataInputStream(new ByteArrayInputStream(state))), new DataOutputStream(again));
                    state = again.toByteArray();
                }
            }
            out.writeUTF(uid);
            out.writeInt(state.length);
            out.write(state);
        }
        assertThat(in.read()).as("the end of the entry").isEqualTo(-1);
        return bytes.toByteArray();
    }

    /**
     * Sensors reading once a second, out of order within a second, some readings twice, runs over
     * 70 and stuck values, humidity with spikes; sensors 5 and 1 quiet across the stops, their
     * silence told before them (a silence state in their entries); partition 3 sends nothing
     * in (FIRST_STOP, SECOND_STOP], so its entries are still unclaimed at the second stop.
     */
    static List<Reading> scenario() {
        Random random = new Random(20261207);
        List<Reading> out = new ArrayList<>();
        for (int t = 0; t < SECONDS; t++) {
            List<Reading> second = new ArrayList<>();
            for (int s = 0; s < SENSORS; s++) {
                int partition = s % PARTITIONS;
                if (partition == 3 && t >= FIRST_STOP && t < SECOND_STOP + 5 || s == 5 && t >= 10 && t < 90
                        || s == 1 && t >= 35 && t < 60) {
                    continue;
                }
                Reading r = SelectorRun.reading(s, partition, t, random);
                r.temperature = s % 3 == 1 && t % 30 >= 20 && t % 30 < 25 ? 75
                        : s % 3 == 0 && t >= 30 && t < 60 ? 20 + (t - 30) * 0.6 : 20 + random.nextDouble();
                r.humidity = random.nextInt(25) == 0 ? 90 : 50 + random.nextDouble();
                second.add(r);
                if (random.nextInt(15) == 0) {
                    second.add(r);
                }
            }
            java.util.Collections.shuffle(second, random);
            out.addAll(second);
        }
        return out;
    }

    /** The selector with these rules at {@code parallelism}, from {@code restore} ({@code oldParallelism} subtasks') or afresh. */
    private static SelectorRun run(int parallelism, IntUnaryOperator owner, List<OperatorSubtaskState> restore,
            int oldParallelism) throws Exception {
        return new SelectorRun(RULES, SILENCES, BOUND_MS, parallelism, owner, restore, oldParallelism);
    }
}
