package org.jchrony.discipline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The leap seconds known from the tz database ({@code leapsectz}) or a leap-seconds.list file
 * ({@code leapseclist}): when each was applied and the TAI−UTC offset after it. This is the
 * information chronyd takes from those files: "is a leap second inserted or deleted at the end
 * of this UTC day?" and "what is TAI−UTC now?". Pure data; parsed by {@link LeapTzif} and
 * {@link LeapSecondsList}, loaded from disk by {@code org.jchrony.clock.LeapFiles}.
 *
 * @param leaps                 in increasing time order
 * @param initialTaiOffsetSeconds TAI−UTC before the first listed leap (10 s from 1972-01-01)
 * @param expiryUnixSeconds     when the data stops being authoritative (leap-seconds.list's
 *                              {@code #@} line, a TZif v4 expiry record), if known
 * @param origin                file or description, for log messages
 */
public record LeapTable(List<Leap> leaps, int initialTaiOffsetSeconds, OptionalLong expiryUnixSeconds,
                        String origin) {

    public static final long SECONDS_PER_DAY = 86_400;
    /** TAI−UTC on 1972-01-01, when UTC got integral-second offsets. */
    public static final int TAI_OFFSET_1972 = 10;

    /**
     * One leap second.
     *
     * @param midnightUnixSeconds the UTC midnight (Unix time, a multiple of 86400) ending the day whose
     *                            last minute has 61 (insert) or 59 (delete) seconds
     * @param delta               +1 inserted, −1 deleted
     * @param taiOffsetAfterSeconds TAI−UTC from that midnight on
     */
    public record Leap(long midnightUnixSeconds, int delta, int taiOffsetAfterSeconds) {
        public Leap {
            if (Math.floorMod(midnightUnixSeconds, SECONDS_PER_DAY) != 0) {
                throw new IllegalArgumentException("leap second not at a UTC midnight: " + midnightUnixSeconds);
            }
            if (delta != 1 && delta != -1) throw new IllegalArgumentException("leap delta must be +/-1: " + delta);
        }
    }

    public LeapTable {
        leaps = List.copyOf(leaps);
        Objects.requireNonNull(expiryUnixSeconds, "expiryUnixSeconds");
        Objects.requireNonNull(origin, "origin");
        for (int i = 1; i < leaps.size(); i++) {
            if (leaps.get(i).midnightUnixSeconds() <= leaps.get(i - 1).midnightUnixSeconds()) {
                throw new IllegalArgumentException("leap seconds out of order in " + origin);
            }
        }
    }

    /** A table with no leap seconds (for tests). */
    public static LeapTable empty(String origin) {
        return new LeapTable(List.of(), TAI_OFFSET_1972, OptionalLong.empty(), origin);
    }

    /** Builds the leap list from (midnight, TAI−UTC after) pairs, checking each step is ±1. */
    static List<Leap> fromOffsets(long[] midnights, int[] offsetsAfter, int initialOffset, String origin) {
        List<Leap> out = new ArrayList<>();
        int previous = initialOffset;
        for (int i = 0; i < midnights.length; i++) {
            int delta = offsetsAfter[i] - previous;
            if (delta == 0) continue;
            if (delta != 1 && delta != -1) {
                throw new IllegalArgumentException("TAI-UTC jumps by " + delta + " s in " + origin);
            }
            out.add(new Leap(midnights[i], delta, offsetsAfter[i]));
            previous = offsetsAfter[i];
        }
        return out;
    }

    /**
     * The leap second at the end of the UTC day containing {@code unixSeconds}: +1 inserted (the day
     * ends 23:59:60), −1 deleted (23:59:59 is skipped), 0 none.
     */
    public int leapAtEndOfDay(long unixSeconds) {
        long nextMidnight = Math.floorDiv(unixSeconds, SECONDS_PER_DAY) * SECONDS_PER_DAY + SECONDS_PER_DAY;
        for (Leap l : leaps) {
            if (l.midnightUnixSeconds() == nextMidnight) return l.delta();
            if (l.midnightUnixSeconds() > nextMidnight) break;
        }
        return 0;
    }

    /** TAI−UTC at {@code unixSeconds}, seconds. */
    public int taiOffsetAt(long unixSeconds) {
        int offset = initialTaiOffsetSeconds;
        for (Leap l : leaps) {
            if (l.midnightUnixSeconds() > unixSeconds) break;
            offset = l.taiOffsetAfterSeconds();
        }
        return offset;
    }

    /** Whether the data has expired at {@code unixSeconds} (false when no expiry is known). */
    public boolean expiredAt(long unixSeconds) {
        return expiryUnixSeconds.isPresent() && unixSeconds >= expiryUnixSeconds.getAsLong();
    }
}
