package org.jchrony.discipline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the leap-second records of a TZif file (RFC 8536), such as /usr/share/zoneinfo/right/UTC,
 * the zone chronyd's {@code leapsectz} directive normally names. chronyd asks the C library whether
 * 23:59:59 and 23:59:60 exist in the zone; the answer comes from exactly these records, so reading
 * them gives the same leap days.
 *
 * <p>A record is (occurrence, correction): occurrence is the time of the leap in the zone's own
 * count (Unix seconds plus the corrections before it) and correction the total after it. An
 * inserted second's occurrence is the 23:59:60 instant, so its Unix midnight is
 * {@code occurrence − previous correction}; a deleted second's is 23:59:59, one second before its
 * midnight. The version 2+ (64-bit) block is used when present; a last record repeating the
 * previous correction is the v4 expiry marker. TAI−UTC is 10 s plus the correction.
 */
public final class LeapTzif {
    private static final int HEADER_BYTES = 44;

    private LeapTzif() {}

    /** Parses the bytes of a TZif file; {@code origin} names it in error messages. */
    public static LeapTable parse(byte[] bytes, String origin) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        Header h1 = header(b, 0, origin);
        int block1 = h1.dataBytes(4);
        int at = HEADER_BYTES;
        Header h = h1;
        int timeSize = 4;
        if (h1.version >= '2') {
            int second = HEADER_BYTES + block1;
            h = header(b, second, origin);
            at = second + HEADER_BYTES;
            timeSize = 8;
        }
        int leapAt = at + h.timecnt * timeSize + h.timecnt + h.typecnt * 6 + h.charcnt;
        need(bytes, leapAt + h.leapcnt * (timeSize + 4), origin);
        List<LeapTable.Leap> leaps = new ArrayList<>();
        int previous = 0;
        OptionalLong expiry = OptionalLong.empty();
        for (int i = 0; i < h.leapcnt; i++) {
            int p = leapAt + i * (timeSize + 4);
            long occurrence = timeSize == 8 ? b.getLong(p) : b.getInt(p);
            int correction = b.getInt(p + timeSize);
            int delta = correction - previous;
            if (delta == 0) {
                if (i == h.leapcnt - 1 && i > 0) {
                    expiry = OptionalLong.of(occurrence - previous);
                    continue;
                }
                throw new IllegalArgumentException(origin + ": leap record " + i + " changes nothing");
            }
            if (delta != 1 && delta != -1) {
                throw new IllegalArgumentException(origin + ": leap record " + i + " jumps by " + delta + " s");
            }
            long midnight = delta > 0 ? occurrence - previous : occurrence - previous + 1;
            leaps.add(new LeapTable.Leap(midnight, delta, LeapTable.TAI_OFFSET_1972 + correction));
            previous = correction;
        }
        return new LeapTable(leaps, LeapTable.TAI_OFFSET_1972, expiry, origin);
    }

    private record Header(char version, int isutcnt, int isstdcnt, int leapcnt, int timecnt, int typecnt,
                          int charcnt) {
        int dataBytes(int timeSize) {
            return timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
        }
    }

    private static Header header(ByteBuffer b, int at, String origin) {
        need(b.array(), at + HEADER_BYTES, origin);
        if (b.get(at) != 'T' || b.get(at + 1) != 'Z' || b.get(at + 2) != 'i' || b.get(at + 3) != 'f') {
            throw new IllegalArgumentException(origin + ": not a TZif file");
        }
        char version = (char) (b.get(at + 4) == 0 ? '1' : b.get(at + 4));
        int[] c = new int[6];
        for (int i = 0; i < 6; i++) {
            c[i] = b.getInt(at + 20 + 4 * i);
            if (c[i] < 0 || c[i] > 1_000_000) throw new IllegalArgumentException(origin + ": bad TZif header count");
        }
        return new Header(version, c[0], c[1], c[2], c[3], c[4], c[5]);
    }

    private static void need(byte[] bytes, long length, String origin) {
        if (bytes.length < length) throw new IllegalArgumentException(origin + ": truncated TZif file");
    }
}
