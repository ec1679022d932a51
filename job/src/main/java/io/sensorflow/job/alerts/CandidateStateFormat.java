package io.sensorflow.job.alerts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The one place that writes and reads the alert candidate selection's union-state entries, one
 * per sensor, in a hand-written format with a version. Version 1, in order:
 * <ul>
 *   <li>the header: a byte of {@link #VERSION_MARK} plus the version; whether the entry was
 *       claimed (boolean); the subtask that wrote it and of how many (two ints). It comes first,
 *       so a subtask can skip the entries of others without reading them;
 *   <li>the Kafka topic (UTF, empty when unknown) and partition (int), the sensor id (UTF);
 *   <li>the time of the last released reading (long) and the content hashes released at that
 *       time (int count, longs);
 *   <li>the held readings (int count; per reading its time and content hash, longs, and a double
 *       per metric some rule reads, in the metrics' order);
 *   <li>the rules' states (int count; per state the key, UTF, its length, int, and its bytes):
 *       each pattern rule's under its uid, as its selector writes it (with its own version), so
 *       adding, removing or changing a rule keeps the others'; a sensor's silence state (up to
 *       when its quiet time was reported, a long) under {@link #SILENCE_KEY}, when there is
 *       any; the latest late reading given to the rules and the stamp of its events (two longs)
 *       under {@link #LATE_KEY}, when it is after the last released reading. A key this job does
 *       not know is skipped, as a removed rule's is.
 * </ul>
 * Version 0 had no version byte and started with the claimed flag, a boolean (0 or 1), which no
 * mark equals; it kept one identity of another kind for the last released reading, which restores
 * as none, and its held readings are compared by the identities they were written with.
 */
final class CandidateStateFormat {

    static final int VERSION_MARK = 0x40;
    static final int VERSION = 1;
    /** The key of a sensor's silence state among its rules' states in an entry. */
    static final String SILENCE_KEY = "silence";
    /** The key of the time of the latest late reading evaluated ({@link SensorState#lateTo}), likewise. */
    static final String LATE_KEY = "late";

    private final RuleSelectors selectors;
    private final RuleScopes scopes;

    CandidateStateFormat(RuleSelectors selectors, RuleScopes scopes) {
        this.selectors = selectors;
        this.scopes = scopes;
    }

    /** An entry's header: its format version, whether it was claimed, and by which subtask of how many. */
    record Header(int version, boolean claimed, int writer, int writerParallelism) {

        static Header read(DataInputStream in) throws IOException {
            int first = in.readUnsignedByte();
            int version;
            boolean claimed;
            if (first == 0 || first == 1) {
                version = 0;
                claimed = first == 1;
            } else {
                version = first - VERSION_MARK;
                if (version < 1 || version > VERSION) {
                    throw new IOException("alert candidate state of format version " + version
                            + ", this job reads versions 0 to " + VERSION + " (state of a newer job?)");
                }
                claimed = in.readBoolean();
            }
            return new Header(version, claimed, in.readInt(), in.readInt());
        }
    }

    /** The entry of {@code s}, written by subtask {@code writer} of {@code writerParallelism}. */
    byte[] write(SensorState s, int writer, int writerParallelism) throws IOException {
        HeldReadings held = s.readings;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + held.size * 40);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(VERSION_MARK + VERSION);
        out.writeBoolean(s.claimed);
        out.writeInt(writer);
        out.writeInt(writerParallelism);
        out.writeUTF(s.topic == null ? "" : s.topic);
        out.writeInt(s.partition);
        out.writeUTF(s.sensorId);
        out.writeLong(held.lastReleased);
        held.releasedAtLast.write(out);
        out.writeInt(held.size - held.start);
        for (int i = held.start; i < held.size; i++) {
            out.writeLong(held.times[i]);
            out.writeLong(held.ids[i]);
            for (double[] v : held.values) {
                if (v != null) {
                    out.writeDouble(v[i]);
                }
            }
        }
        // Every rule's state is written, empty or not: leaving out the empty ones (they would read
        // back as fresh) made RuleDifferentialTest miss rises after a restore when one of two
        // rise rules' state was empty and the other's not. The cause: a checkpoint after a restore
        // before the first watermark judged emptiness against Long.MIN_VALUE, and the watermark
        // minus a time overflowed (CandidateSelector.passedBy). Since that fix, leaving empty
        // states out passes RuleDifferentialTest again; the bytes are still spent until that is
        // decided.
        boolean silence = s.quietReported > held.lastReleased;
        boolean late = s.lateTo > held.lastReleased;
        out.writeInt(s.ruleStates.length + (silence ? 1 : 0) + (late ? 1 : 0));
        for (int k = 0; k < s.ruleStates.length; k++) {
            ByteArrayOutputStream one = new ByteArrayOutputStream(32);
            selectors.selectors[k].write(s.ruleStates[k], new DataOutputStream(one));
            out.writeUTF(selectors.uid(k));
            out.writeInt(one.size());
            one.writeTo(out);
        }
        if (silence) {
            out.writeUTF(SILENCE_KEY);
            out.writeInt(Long.BYTES);
            out.writeLong(s.quietReported);
        }
        if (late) { // under its own key, as the silence state: a job that does not know it skips it
            out.writeUTF(LATE_KEY);
            out.writeInt(2 * Long.BYTES);
            out.writeLong(s.lateTo);
            out.writeLong(s.lateStamp);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Reads an entry after its header ({@link Header#read}), in the format version the header gave. */
    SensorState read(DataInputStream in, int version) throws IOException {
        String topic = in.readUTF();
        int partition = in.readInt();
        String sensorId = in.readUTF();
        SensorState s = new SensorState(sensorId, scopes.of(sensorId, null), selectors);
        s.topic = topic.isEmpty() ? null : topic;
        s.partition = partition;
        HeldReadings held = s.readings;
        held.lastReleased = in.readLong();
        s.quietReported = held.lastReleased; // unless the entry says more (a job before silence through CEP did not)
        if (version == 0) {
            in.readLong();
        } else {
            held.releasedAtLast.read(in);
        }
        int size = in.readInt();
        held.grow(Math.max(4, size));
        for (int i = 0; i < size; i++) {
            held.times[i] = in.readLong();
            held.ids[i] = in.readLong();
            for (double[] v : held.values) {
                if (v != null) {
                    v[i] = in.readDouble();
                }
            }
        }
        held.size = size;
        held.sorted = false;
        int rules = in.readInt();
        for (int r = 0; r < rules; r++) {
            String uid = in.readUTF();
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            int k = selectors.indexOf(uid);
            if (k >= 0) { // else a rule that was removed or changed: its state goes
                s.ruleStates[k] = selectors.selectors[k].read(new DataInputStream(new ByteArrayInputStream(state)));
            } else if (uid.equals(SILENCE_KEY)) {
                s.quietReported = new DataInputStream(new ByteArrayInputStream(state)).readLong();
            } else if (uid.equals(LATE_KEY)) {
                DataInputStream late = new DataInputStream(new ByteArrayInputStream(state));
                s.lateTo = late.readLong();
                s.lateStamp = late.readLong();
            }
        }
        return s;
    }
}
