package org.jchrony.nts;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One NTS-KE record (RFC 8915 section 4): a critical bit and a 15-bit record type, a 16-bit body
 * length, the body. {@link #scan} splits a byte stream into a message (records up to and
 * including End of Message).
 */
public record NtsKeRecord(boolean critical, int type, byte[] body) {
    public static final int END_OF_MESSAGE = 0;
    public static final int NEXT_PROTOCOL = 1;
    public static final int ERROR = 2;
    public static final int WARNING = 3;
    public static final int AEAD_ALGORITHM = 4;
    public static final int NEW_COOKIE = 5;
    public static final int NTPV4_SERVER = 6;
    public static final int NTPV4_PORT = 7;

    /** Next-protocol id of NTPv4. */
    public static final int PROTOCOL_NTPV4 = 0;
    public static final int ERROR_UNRECOGNIZED_CRITICAL = 0;
    public static final int ERROR_BAD_REQUEST = 1;
    public static final int ERROR_INTERNAL = 2;

    /** Largest NTS-KE message we accept (chronyd's limit is of the same order). */
    public static final int MAX_MESSAGE_LENGTH = 16384;

    public NtsKeRecord {
        if (type < 0 || type > 0x7fff) throw new IllegalArgumentException("record type out of range: " + type);
        if (body.length > 0xffff) throw new IllegalArgumentException("record body too long");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** A record whose body is a list of 16-bit values. */
    public static NtsKeRecord ofShorts(boolean critical, int type, int... values) {
        byte[] b = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) (values[i] >>> 8);
            b[2 * i + 1] = (byte) values[i];
        }
        return new NtsKeRecord(critical, type, b);
    }

    /** The body read as 16-bit values; null if its length is odd. */
    public int[] shorts() {
        if ((body.length & 1) != 0) return null;
        int[] v = new int[body.length / 2];
        for (int i = 0; i < v.length; i++) v[i] = (body[2 * i] & 0xff) << 8 | (body[2 * i + 1] & 0xff);
        return v;
    }

    public void encode(ByteArrayOutputStream out) {
        int t = (critical ? 0x8000 : 0) | type;
        out.write(t >>> 8);
        out.write(t);
        out.write(body.length >>> 8);
        out.write(body.length);
        out.writeBytes(body);
    }

    public static byte[] encode(List<NtsKeRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (NtsKeRecord r : records) r.encode(out);
        return out.toByteArray();
    }

    /** What {@link #scan} found in the bytes received so far. */
    public sealed interface Scan {
        /** More bytes are needed. */
        record Incomplete() implements Scan {}
        /** A whole message: its records (End of Message last) and its length in bytes. */
        record Message(List<NtsKeRecord> records, int length) implements Scan {}
        /** Longer than {@link #MAX_MESSAGE_LENGTH} without an End of Message. */
        record TooLong() implements Scan {}
    }

    /** Looks for a complete message (up to the first End of Message record) in {@code buf[0, length)}. */
    public static Scan scan(byte[] buf, int length) {
        List<NtsKeRecord> records = new ArrayList<>();
        int p = 0;
        while (p + 4 <= length) {
            int t = (buf[p] & 0xff) << 8 | (buf[p + 1] & 0xff);
            int n = (buf[p + 2] & 0xff) << 8 | (buf[p + 3] & 0xff);
            if (p + 4 + n > length) break;
            NtsKeRecord r = new NtsKeRecord((t & 0x8000) != 0, t & 0x7fff, Arrays.copyOfRange(buf, p + 4, p + 4 + n));
            records.add(r);
            p += 4 + n;
            if (r.type == END_OF_MESSAGE) return new Scan.Message(List.copyOf(records), p);
            if (p > MAX_MESSAGE_LENGTH) return new Scan.TooLong();
        }
        return length > MAX_MESSAGE_LENGTH ? new Scan.TooLong() : new Scan.Incomplete();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtsKeRecord r && r.critical == critical && r.type == type && Arrays.equals(r.body, body);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "NtsKeRecord[" + (critical ? "critical " : "") + "type=" + type + ", " + body.length + "B]";
    }
}
