package io.recon.source.cdc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns Debezium's Kafka Connect values into plain Java values.
 *
 * <ul>
 *   <li>{@code timestamptz} arrives as an ISO string ({@code ZonedTimestamp}) and becomes the
 *       {@link Instant} it denotes.</li>
 *   <li>{@code timestamp} (without time zone) arrives as micro/milli/nanoseconds since the epoch of
 *       the wall-clock value read as UTC, and becomes that {@link Instant}: a {@code timestamp}
 *       column is therefore taken to hold UTC. Columns holding local time should be
 *       {@code timestamptz}.</li>
 *   <li>{@code date} becomes {@link LocalDate}, {@code time} {@link LocalTime}, {@code timetz}
 *       {@link OffsetTime}.</li>
 *   <li>{@code numeric}/{@code money} become {@link BigDecimal} (needs
 *       {@code decimal.handling.mode=precise}), also for {@code numeric} without a declared
 *       scale.</li>
 *   <li>{@code smallint} becomes {@link Integer}, {@code real} {@link Double}, {@code bytea}
 *       {@code byte[]}; everything else stays as Debezium gives it (String, Integer, Long,
 *       Boolean, Double, List).</li>
 * </ul>
 */
final class ValueConverter {

    private ValueConverter() {
    }

    static Map<String, Object> row(Struct struct) {
        if (struct == null) {
            return Map.of();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field f : struct.schema().fields()) {
            row.put(f.name(), value(f.schema(), struct.get(f)));
        }
        return Collections.unmodifiableMap(row);
    }

    static Object value(Schema schema, Object v) {
        if (v == null) {
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case "io.debezium.time.ZonedTimestamp":
                    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse((String) v, Instant::from);
                case "io.debezium.time.Timestamp":
                    return Instant.ofEpochMilli((Long) v);
                case "io.debezium.time.MicroTimestamp":
                    return instantOf((Long) v, TimeUnit.MICROSECONDS);
                case "io.debezium.time.NanoTimestamp":
                    return instantOf((Long) v, TimeUnit.NANOSECONDS);
                case "org.apache.kafka.connect.data.Timestamp":
                    return ((java.util.Date) v).toInstant();
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay((Integer) v);
                case "org.apache.kafka.connect.data.Date":
                    return LocalDate.ofEpochDay(TimeUnit.MILLISECONDS.toDays(((java.util.Date) v).getTime()));
                case "io.debezium.time.Time":
                    return LocalTime.ofNanoOfDay(TimeUnit.MILLISECONDS.toNanos((Integer) v));
                case "io.debezium.time.MicroTime":
                    return LocalTime.ofNanoOfDay(TimeUnit.MICROSECONDS.toNanos((Long) v));
                case "io.debezium.time.NanoTime":
                    return LocalTime.ofNanoOfDay((Long) v);
                case "io.debezium.time.ZonedTime":
                    return OffsetTime.parse((String) v, DateTimeFormatter.ISO_OFFSET_TIME);
                case "io.debezium.data.VariableScaleDecimal": {
                    Struct s = (Struct) v;
                    return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale"));
                }
                default:
                    break;
            }
        }
        if (v instanceof Short s) {
            return s.intValue();
        }
        if (v instanceof Byte b) {
            return b.intValue();
        }
        if (v instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (v instanceof ByteBuffer || v instanceof byte[]) {
            return bytes(v);
        }
        if (v instanceof List<?> list && schema.valueSchema() != null) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(value(schema.valueSchema(), e));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Struct s) {
            return row(s);
        }
        return v;
    }

    private static Instant instantOf(long amount, TimeUnit unit) {
        long perSecond = unit.convert(1, TimeUnit.SECONDS);
        long seconds = Math.floorDiv(amount, perSecond);
        long fraction = Math.floorMod(amount, perSecond);
        return Instant.ofEpochSecond(seconds, unit.toNanos(fraction));
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        ByteBuffer buf = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }
}
