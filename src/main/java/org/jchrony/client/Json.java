package org.jchrony.client;

import java.lang.reflect.RecordComponent;
import org.jchrony.cmdmon.IpAddr;
import org.jchrony.cmdmon.Timespec;

/** jchronyc -j: each report record as one JSON object per line ({"type":..., fields...}). */
final class Json {
    private final StringBuilder sb = new StringBuilder();

    boolean isEmpty() { return sb.length() == 0; }

    String take() {
        String s = sb.toString();
        sb.setLength(0);
        return s;
    }

    void add(String type, Record r, String... extra) {
        sb.append("{\"type\":").append(str(type));
        for (int i = 0; i + 1 < extra.length; i += 2) sb.append(',').append(str(extra[i])).append(':').append(str(extra[i + 1]));
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                if (v instanceof Integer i && c.getName().equals("refId")) v = Integer.toUnsignedLong(i);
                sb.append(',').append(str(c.getName())).append(':').append(value(v));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        sb.append("}\n");
    }

    void addValue(String type, String value) {
        sb.append("{\"type\":").append(str(type)).append(",\"value\":").append(str(value)).append("}\n");
    }

    private static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof IpAddr a) return str(a.toString());
        if (v instanceof Timespec t) return t.epochSeconds() + "." + String.format("%09d", t.clampedNanos());
        if (v instanceof Double d) return d.isNaN() || d.isInfinite() ? "null" : Double.toString(d);
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        return str(v.toString());
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
