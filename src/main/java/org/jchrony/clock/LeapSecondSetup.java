package org.jchrony.clock;

import java.util.Optional;
import java.util.function.Supplier;
import org.jchrony.core.Scheduler;
import org.jchrony.core.TimeSource;
import org.jchrony.discipline.Discipline;
import org.jchrony.discipline.LeapMode;
import org.jchrony.discipline.LeapSecondPlanner;
import org.jchrony.discipline.LeapTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of leap seconds in one place: builds the {@link LeapSecondPlanner} for
 * {@code leapsecmode}, hands it to the discipline, loads the {@code leapsectz}/{@code leapseclist}
 * table at start and again every day (chronyd re-checks the zone daily, so updated tzdata is used
 * without a restart), warns when the list has expired, and in SYSTEM mode on the real clock tells
 * the kernel TAI−UTC (ADJ_TAI), as chronyd does. Runs on the core loop.
 */
public final class LeapSecondSetup {
    private static final Logger log = LoggerFactory.getLogger(LeapSecondSetup.class);
    /** How often the table is re-read. */
    public static final long RELOAD_INTERVAL_NANOS = 86_400L * 1_000_000_000L;

    private final ClockDriver driver;
    private final Scheduler scheduler;
    private final TimeSource realtime;
    private final Supplier<Optional<LeapTable>> loader;
    private final LeapSecondPlanner planner;
    private Scheduler.Timer reloadTimer;
    private int loads;

    private LeapSecondSetup(ClockDriver driver, Scheduler scheduler, TimeSource realtime, LeapMode mode,
                            Supplier<Optional<LeapTable>> loader) {
        this.driver = driver;
        this.scheduler = scheduler;
        this.realtime = realtime;
        this.loader = loader;
        this.planner = new LeapSecondPlanner(driver, scheduler, mode);
    }

    /**
     * Wires leap seconds into {@code discipline} and loads the table now.
     *
     * @param mode        {@code LeapMode.of(cfg.leapSecMode().name())}
     * @param leapSecTz   {@code cfg.leapSecTz()}
     * @param leapSecList {@code cfg.leapSecList()}
     */
    public static LeapSecondSetup install(ClockDriver driver, Scheduler scheduler, TimeSource realtime,
                                          Discipline discipline, LeapMode mode, Optional<String> leapSecTz,
                                          Optional<String> leapSecList) {
        boolean configured = leapSecTz.isPresent() || leapSecList.isPresent();
        return install(driver, scheduler, realtime, discipline, mode,
                configured ? () -> LeapFiles.load(leapSecTz, leapSecList) : null);
    }

    /** As above with the table loader given (tests); a null loader means no table is configured. */
    public static LeapSecondSetup install(ClockDriver driver, Scheduler scheduler, TimeSource realtime,
                                          Discipline discipline, LeapMode mode, Supplier<Optional<LeapTable>> loader) {
        LeapSecondSetup s = new LeapSecondSetup(driver, scheduler, realtime, mode, loader);
        discipline.setLeapPlanner(s.planner);
        if (mode != s.planner.mode()) {
            log.debug("leapsecmode {} not possible with this clock, using {}", mode, s.planner.mode());
        }
        if (loader != null) s.reload();
        return s;
    }

    public LeapSecondPlanner planner() { return planner; }

    /** Times the table was (re)loaded. */
    public int loads() { return loads; }

    /** Stops the daily reload. */
    public void stop() {
        if (reloadTimer != null) {
            reloadTimer.cancel();
            reloadTimer = null;
        }
    }

    private void reload() {
        loads++;
        long nowNanos = realtime.realtimeNanos();
        Optional<LeapTable> table = loader.get();
        // an unreadable file keeps the table we had (the warning is logged by the loader)
        table.ifPresent(planner::setTable);
        LeapTable t = planner.table();
        if (t != null) {
            if (t.expiredAt(Math.floorDiv(nowNanos, 1_000_000_000L))) {
                log.warn("Leap second data {} expired", t.origin());
            }
            if (planner.mode() == LeapMode.SYSTEM && driver instanceof LinuxClockDriver linux) {
                planner.taiOffsetSeconds(nowNanos).ifPresent(linux::setTaiOffset);
            }
        }
        reloadTimer = scheduler.schedule(RELOAD_INTERVAL_NANOS, this::reload);
    }
}
