package org.jchrony.discipline;

/**
 * chrony.conf {@code leapsecmode}: how the clock is corrected for a leap second.
 * <ul>
 * <li>{@link #SYSTEM}: the kernel inserts/deletes it ({@code STA_INS}/{@code STA_DEL}); default.
 * With a driver that cannot (the -x null driver), chronyd falls back to {@link #STEP}.</li>
 * <li>{@link #STEP}: the daemon steps the clock back 1 s at 00:00:00 (insert) or forward 1 s at
 * 23:59:59 (delete).</li>
 * <li>{@link #SLEW}: the daemon slews the second out from the same instants, at the max slew rate
 * (12 s with Linux's default 83333 ppm).</li>
 * <li>{@link #IGNORE}: nothing; normal operation corrects the 1 s error later.</li>
 * </ul>
 * The leap status is announced to NTP clients in every mode.
 */
public enum LeapMode {
    SYSTEM, STEP, SLEW, IGNORE;

    /** From the config enum's name ({@code DaemonConfig.leapSecMode().name()}). */
    public static LeapMode of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
