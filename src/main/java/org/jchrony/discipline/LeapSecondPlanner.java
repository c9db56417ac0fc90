package org.jchrony.discipline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import org.jchrony.clock.ClockDriver;
import org.jchrony.core.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the leap status and carries out the leap second, as chronyd does (chrony.conf
 * {@code leapsecmode}, {@code leapsectz}, {@code leapseclist}):
 *
 * <ul>
 * <li>On each clock update the sources' majority vote (0 normal, 1 insert, 2 delete) is taken;
 * when it says normal and a leap table is configured, the table decides whether a second is
 * inserted or deleted at the end of the current UTC day. A majority of sources is accepted even
 * when the table does not list the leap (the table is not the exclusive source).</li>
 * <li>A leap is only accepted on the last day of June or December; on any other day the status
 * is normal, whatever the sources say.</li>
 * <li>Within {@value #CLOSE_WINDOW_SECONDS} s of the leap second the status is not changed (and
 * {@link #isLeapSecondClose} tells the discipline and sources to leave the clock alone).</li>
 * <li>{@link LeapMode#SYSTEM}: the kernel is told ({@link ClockDriver#setLeap} +1/−1) on the leap
 * day and inserts/deletes the second itself at midnight; the request is withdrawn ({@code setLeap(0)})
 * 2 s after the leap second starts, or as soon as the status is no longer insert/delete. A driver that
 * does not control the system clock (-x) cannot do it, so SYSTEM falls back to STEP, as in chronyd.
 * {@link LeapMode#STEP}: {@code step(+1)} at 00:00:00 (insert) or {@code step(−1)} at 23:59:59
 * (delete). {@link LeapMode#SLEW}: the same second accrued as an offset to slew at the driver's max
 * rate. {@link LeapMode#IGNORE}: nothing is done to the clock.</li>
 * <li>For 2 s from the start of the leap second the announced leap indicator is "unsynchronised"
 * (the time is not valid then); after that the status is normal and the listeners are told, so the
 * NTP server stops announcing the leap.</li>
 * <li>Log messages at the leap second use chronyd's wording ("System clock was stepped for leap
 * second", "Adjusting system clock for leap second", "Ignoring leap second").</li>
 * </ul>
 *
 * <p>Times are "cooked" local time (raw clock + pending correction, ≈ UTC), Unix nanoseconds. The
 * midnight timer runs on the injected {@link Scheduler}; because the scheduler counts elapsed time
 * and the local clock may run at a slightly different rate, the timer is re-armed as midnight
 * approaches so it fires within microseconds of it. Not thread-safe: core loop only.
 */
public final class LeapSecondPlanner {
    private static final Logger log = LoggerFactory.getLogger(LeapSecondPlanner.class);

    /** Leap status values, as the NTP leap indicator and chronyc tracking's "Leap status". */
    public static final int NORMAL = 0;
    public static final int INSERT = 1;
    public static final int DELETE = 2;
    public static final int UNSYNCHRONISED = 3;

    /** No status change and no clock update this close to the leap second. */
    public static final int CLOSE_WINDOW_SECONDS = 5;
    /**
     * How long after the leap second starts it is "in progress", as chronyd: the server announces
     * "unsynchronised" meanwhile (23:59:60 has no Unix representation), and in SYSTEM mode the kernel
     * request is withdrawn at its end (the kernel is done by then).
     */
    static final long LEAP_IN_PROGRESS_NANOS = 2_000_000_000L;
    private static final long NANOS = 1_000_000_000L;
    private static final long DAY_NANOS = LeapTable.SECONDS_PER_DAY * NANOS;
    /** A timer firing this close before its target counts as on time. */
    private static final long ON_TIME_NANOS = 1_000;
    /** The last stretch before the leap second, waited for with one exact timer. */
    private static final long APPROACH_NANOS = 2 * NANOS;

    private final ClockDriver driver;
    private final Scheduler scheduler;
    private final LeapMode configuredMode;
    private final LeapMode mode;
    private final List<IntConsumer> listeners = new ArrayList<>();

    private LeapTable table;
    private int status = UNSYNCHRONISED;
    private boolean leapInProgress;
    private int lastAnnounced = UNSYNCHRONISED;
    private int kernelLeap;
    private Scheduler.Timer timer;
    private boolean finalApproach;
    /** Midnight (cooked Unix ns) ending the day of the pending leap, or 0. */
    private long pendingMidnightNanos;
    /** Midnight of the last leap carried out, or 0 (keeps the close window after it). */
    private long lastLeapMidnightNanos;
    private int leapsApplied;

    /**
     * @param driver    the clock; {@link ClockDriver#controlsSystemClock()} false makes SYSTEM act as STEP
     * @param scheduler core-loop timers (midnight)
     * @param mode      chrony.conf {@code leapsecmode}
     */
    public LeapSecondPlanner(ClockDriver driver, Scheduler scheduler, LeapMode mode) {
        this(driver, scheduler, mode, driver.controlsSystemClock());
    }

    /** As above, saying explicitly whether the driver can have the kernel insert the leap second. */
    public LeapSecondPlanner(ClockDriver driver, Scheduler scheduler, LeapMode mode, boolean driverCanLeap) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.configuredMode = Objects.requireNonNull(mode, "mode");
        this.mode = mode == LeapMode.SYSTEM && !driverCanLeap ? LeapMode.STEP : mode;
    }

    /** The mode in effect (SYSTEM becomes STEP with a driver that cannot leap). */
    public LeapMode mode() { return mode; }

    public LeapMode configuredMode() { return configuredMode; }

    /**
     * Called with the new {@link #announcedLeap()} whenever it changes (the discipline republishes its
     * reference, so the NTP server follows).
     */
    public void addStatusListener(IntConsumer listener) {
        listeners.add(listener);
    }

    /**
     * The leap table from {@code leapsectz}/{@code leapseclist}; null for none. The daemon sets it at
     * start and again after re-reading the file once a day. Takes effect at the next update.
     */
    public void setTable(LeapTable newTable) {
        this.table = newTable;
    }

    public LeapTable table() { return table; }

    /** Current status: {@link #NORMAL}, {@link #INSERT}, {@link #DELETE} or {@link #UNSYNCHRONISED}. */
    public int status() { return status; }

    /**
     * The leap indicator to announce to NTP clients: {@link #status()}, except {@link #UNSYNCHRONISED}
     * for {@value #LEAP_IN_PROGRESS_NANOS} ns from the start of the leap second, as chronyd does.
     */
    public int announcedLeap() {
        return leapInProgress ? UNSYNCHRONISED : status;
    }

    /** Whether the leap second is being carried out now (the 2 s from its start). */
    public boolean leapInProgress() { return leapInProgress; }

    /** What the kernel was last told: +1, −1 or 0. */
    public int kernelLeap() { return kernelLeap; }

    /** Leap seconds carried out so far. */
    public int leapsApplied() { return leapsApplied; }

    /**
     * A clock update: decides the status from the sources' majority {@code sourcesVote} (0, 1, 2;
     * anything else counts as normal) and the table, at cooked time {@code cookedNanos}, and
     * arranges the leap. Returns the status to announce.
     */
    public int onReferenceUpdate(long cookedNanos, int sourcesVote) {
        if (leapInProgress) return announcedLeap();
        if (isLeapSecondClose(cookedNanos)) {
            return status == UNSYNCHRONISED ? NORMAL : status;
        }
        long seconds = Math.floorDiv(cookedNanos, NANOS);
        int leap = sourcesVote == INSERT || sourcesVote == DELETE ? sourcesVote : NORMAL;
        if (leap == NORMAL && table != null) {
            int d = table.leapAtEndOfDay(seconds);
            leap = d > 0 ? INSERT : d < 0 ? DELETE : NORMAL;
        }
        if (leap != NORMAL && !isLeapDay(seconds)) {
            leap = NORMAL;
        }
        apply(leap, cookedNanos);
        return announcedLeap();
    }

    /** The clock is no longer synchronised: status 3, the kernel request withdrawn, no leap planned. */
    public void onUnsynchronised() {
        cancelTimer();
        pendingMidnightNanos = 0;
        leapInProgress = false;
        setKernelLeap(0);
        setStatus(UNSYNCHRONISED);
    }

    /**
     * Whether {@code cookedNanos} is within {@value #CLOSE_WINDOW_SECONDS} s of a leap second that is
     * pending or was just carried out: chronyd neither accumulates samples nor updates the clock then.
     */
    public boolean isLeapSecondClose(long cookedNanos) {
        long window = CLOSE_WINDOW_SECONDS * NANOS;
        if (pendingMidnightNanos != 0 && Math.abs(cookedNanos - pendingMidnightNanos) < window) return true;
        return lastLeapMidnightNanos != 0 && Math.abs(cookedNanos - lastLeapMidnightNanos) < window + NANOS;
    }

    /** TAI−UTC from the table at {@code cookedNanos}, if a table is configured. */
    public OptionalInt taiOffsetSeconds(long cookedNanos) {
        return table == null ? OptionalInt.empty() : OptionalInt.of(table.taiOffsetAt(Math.floorDiv(cookedNanos, NANOS)));
    }

    /** chronyd accepts a leap second only at the end of 30 June or 31 December (UTC). */
    public static boolean isLeapDay(long unixSeconds) {
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(unixSeconds, LeapTable.SECONDS_PER_DAY));
        return d.getMonthValue() == 6 && d.getDayOfMonth() == 30 || d.getMonthValue() == 12 && d.getDayOfMonth() == 31;
    }

    /** chronyc tracking's "Leap status" text for a status value. */
    public static String describe(int status) {
        return switch (status) {
            case NORMAL -> "Normal";
            case INSERT -> "Insert second";
            case DELETE -> "Delete second";
            default -> "Not synchronised";
        };
    }

    private void apply(int leap, long cookedNanos) {
        if (leap == INSERT || leap == DELETE) {
            setKernelLeap(mode == LeapMode.SYSTEM ? (leap == INSERT ? 1 : -1) : 0);
            long midnight = (Math.floorDiv(cookedNanos, DAY_NANOS) + 1) * DAY_NANOS;
            if (pendingMidnightNanos != midnight || timer == null) {
                cancelTimer();
                pendingMidnightNanos = midnight;
                armFor(cookedNanos);
            }
        } else {
            cancelTimer();
            pendingMidnightNanos = 0;
            setKernelLeap(0);
        }
        setStatus(leap);
    }

    /** The instant the clock must be corrected: 00:00:00 for an insert, 23:59:59 for a delete. */
    private long actionNanos() {
        return status == DELETE ? pendingMidnightNanos - NANOS : pendingMidnightNanos;
    }

    private void armFor(long cookedNanos) {
        // the earlier of the two possible instants (a delete acts at 23:59:59); onTimer() refines it
        long remaining = pendingMidnightNanos - NANOS - cookedNanos;
        long delay = remaining > APPROACH_NANOS ? remaining - Math.max(NANOS, remaining / 1000) : 0;
        timer = scheduler.schedule(delay, this::onTimer);
    }

    /**
     * Re-arms until the last {@value #APPROACH_NANOS} ns, then waits exactly the time left and acts
     * when that timer fires without looking at the clock again: in SYSTEM mode the kernel steps the
     * clock back at that very instant, and re-reading it would make us wait for midnight twice.
     */
    private void onTimer() {
        timer = null;
        if (leapInProgress || pendingMidnightNanos == 0 || (status != INSERT && status != DELETE)) {
            finalApproach = false;
            return;
        }
        if (finalApproach) {
            finalApproach = false;
            carryOut();
            return;
        }
        long remaining = actionNanos() - cookedNow();
        if (remaining <= ON_TIME_NANOS) {
            carryOut();
        } else if (remaining <= APPROACH_NANOS) {
            finalApproach = true;
            timer = scheduler.schedule(remaining, this::onTimer);
        } else {
            timer = scheduler.schedule(remaining - Math.max(NANOS, remaining / 1000), this::onTimer);
        }
    }

    private void carryOut() {
        boolean insert = status == INSERT;
        long midnight = pendingMidnightNanos;
        pendingMidnightNanos = 0;
        lastLeapMidnightNanos = midnight;
        leapsApplied++;
        leapInProgress = true;
        switch (mode) {
            case SYSTEM -> log.debug("Waiting for system clock leap second correction");
            case STEP -> {
                driver.step(insert ? 1.0 : -1.0);
                log.warn("System clock was stepped for leap second");
            }
            case SLEW -> {
                // Correct the whole second as fast as the driver allows (it caps at maxslewrate).
                driver.accrueOffset(insert ? 1.0 : -1.0, 1.0);
                log.warn("Adjusting system clock for leap second");
            }
            case IGNORE -> log.warn("Ignoring leap second");
        }
        status = NORMAL;
        announce();
        // The end of the leap second: announce normally again and, in SYSTEM mode, withdraw the kernel
        // request once the kernel has acted (it keeps STA_INS/STA_DEL set otherwise).
        timer = scheduler.schedule(LEAP_IN_PROGRESS_NANOS, () -> {
            timer = null;
            leapInProgress = false;
            setKernelLeap(0);
            announce();
        });
    }

    private long cookedNow() {
        long raw = driver.readRawNanos();
        return raw + Math.round(driver.offsetCorrectionSeconds(raw) * 1e9);
    }

    private void setKernelLeap(int leap) {
        if (leap != kernelLeap) {
            driver.setLeap(leap);
            kernelLeap = leap;
        }
    }

    private void setStatus(int newStatus) {
        status = newStatus;
        announce();
    }

    private void announce() {
        int a = announcedLeap();
        if (a == lastAnnounced) return;
        lastAnnounced = a;
        for (IntConsumer l : listeners) l.accept(a);
    }

    private void cancelTimer() {
        finalApproach = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
