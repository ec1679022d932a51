package io.sensorflow.simulator.payload;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.SensorIds;
import io.sensorflow.oracle.Tenths;
import io.sensorflow.simulator.payload.JsonField.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"sensor_id":"sensor-00042","ts":"2026-11-21T08:15:03.120Z","temperature":21.0,"humidity":48.0,
 * "distance_cm":132.5,"motion":false,"seq":18231}}; temperature and humidity only on readings that
 * carry them (the DHT11 reads at most once a second).
 */
public final class SensorflowEncoder implements PayloadEncoder {

    private static final byte[] TEMPERATURE = ",\"temperature\":".getBytes(US_ASCII);
    private static final byte[] HUMIDITY = ",\"humidity\":".getBytes(US_ASCII);
    private static final byte[] DISTANCE = ",\"distance_cm\":".getBytes(US_ASCII);
    private static final byte[] MOTION_TRUE = ",\"motion\":true".getBytes(US_ASCII);
    private static final byte[] MOTION_FALSE = ",\"motion\":false".getBytes(US_ASCII);
    private static final byte[] SEQ = ",\"seq\":".getBytes(US_ASCII);

    private final SensorIds ids;
    /** Per sensor: {@code {"sensor_id":"sensor-00042","ts":"}. */
    private final byte[][] heads;
    private final TimestampText time = new TimestampText();

    public SensorflowEncoder(SensorIds ids) {
        this.ids = ids;
        heads = new byte[ids.size()][];
        for (int i = 0; i < ids.size(); i++) {
            heads[i] = ("{\"sensor_id\":\"" + ids.id(i) + "\",\"ts\":\"").getBytes(US_ASCII);
        }
    }

    @Override
    public void encode(MessageFacts f, ByteBuf out) {
        out.put(heads[f.sensor()]);
        time.writeIso(f.eventTime(), out);
        out.put((byte) '"');
        int t = f.value(Measurement.TEMPERATURE);
        if (t != MessageFacts.ABSENT) {
            out.put(TEMPERATURE).putTenths(t);
        }
        int h = f.value(Measurement.HUMIDITY);
        if (h != MessageFacts.ABSENT) {
            out.put(HUMIDITY).putTenths(h);
        }
        int d = f.value(Measurement.DISTANCE_CM);
        if (d != MessageFacts.ABSENT) {
            out.put(DISTANCE).putTenths(d);
        }
        if (f.motion() != MessageFacts.MOTION_ABSENT) {
            out.put(f.motion() == 1 ? MOTION_TRUE : MOTION_FALSE);
        }
        if (f.hasSeq()) {
            out.put(SEQ).putLong(f.seq());
        }
        out.put((byte) '}');
    }

    @Override
    public List<JsonField> fields(MessageFacts f) {
        List<JsonField> fields = new ArrayList<>(7);
        fields.add(new JsonField("sensor_id", Role.SENSOR_ID, JsonField.quote(ids.id(f.sensor()))));
        fields.add(new JsonField("ts", Role.TIMESTAMP, timestampJson(f.eventTime())));
        for (Measurement m : Measurement.values()) {
            if (f.has(m)) {
                fields.add(new JsonField(m.field(), Role.MEASUREMENT, Tenths.toText(f.value(m))));
            }
        }
        if (f.motion() != MessageFacts.MOTION_ABSENT) {
            fields.add(new JsonField("motion", Role.MEASUREMENT, f.motion() == 1 ? "true" : "false"));
        }
        if (f.hasSeq()) {
            fields.add(new JsonField("seq", Role.SEQ, Long.toString(f.seq())));
        }
        return fields;
    }

    @Override
    public String timestampJson(long epochMs) {
        return JsonField.quote(time.iso(epochMs));
    }
}
