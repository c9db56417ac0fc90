package org.jchrony.sim;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.jchrony.clock.ClockDriver;
import org.jchrony.clock.ClockJumpDetector;
import org.jchrony.clock.NullClockDriver;
import org.jchrony.clock.SimulatedClock;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.source.NtpSource;
import org.jchrony.source.SourceAddress;
import org.jchrony.source.SourceManager;
import org.jchrony.source.SourceOptions;

/**
 * A deterministic simulation of a host running the discipline against simulated NTP servers over
 * a simulated network, driving {@link SourceManager} exactly as the daemon does (transport for
 * requests, {@code onResponse} with raw RX times, timers on a scheduler). Hours run in seconds.
 */
public final class Simulation {
    /**
     * Network: base round-trip delay, exponential jitter (mean, each direction), one-way asymmetry,
     * loss, and stalls: with probability {@code stallProbability} a request is held for an extra
     * exponential delay of mean {@code stallMeanSeconds} before the server stamps its arrival, as a
     * busy server delays some requests by milliseconds (the heavy, one-sided tail the Python
     * references of bench/convergence.py show under load: a fifth of the round trips 2-25 ms instead
     * of 0.5 ms, with chronyd estimating a jitter asymmetry of -0.5).
     */
    public record Net(double baseDelaySeconds, double jitterMeanSeconds, double asymmetrySeconds, double loss,
                      double stallProbability, double stallMeanSeconds) {
        public Net(double baseDelaySeconds, double jitterMeanSeconds, double asymmetrySeconds, double loss) {
            this(baseDelaySeconds, jitterMeanSeconds, asymmetrySeconds, loss, 0, 0);
        }
    }

    /** A point of the error trace. */
    public record Point(double tSeconds, double errorSeconds, double freqErrorPpm) {}

    /** Whose clock the daemon disciplines: a simulated system clock, or the -x null driver. */
    public enum ClockKind { SYSTEM, NULL_DRIVER }

    public static final long START_NANOS = 1_790_000_000_000_000_000L; // 2026-09

    public final SimScheduler scheduler = new SimScheduler(START_NANOS);
    public final SourceManager manager;
    public final ClockJumpDetector jumpDetector;
    private final ClockDriver driver;
    private final SimulatedClock simClock;
    private final NullClockDriver nullClock;
    private final double rawInitialOffset;
    private final double rawFreqPpm;
    private final RandomGenerator netRandom;
    private final Net net;
    private final List<SimServer> servers = new ArrayList<>();
    private final List<Point> trace = new ArrayList<>();
    private int nextHost = 1;
    public long lostPackets;

    public Simulation(long seed, ClockKind kind, double initialOffsetSeconds, double freqErrorPpm,
                      double wanderPpmPerSqrtSecond, Net net, DisciplineConfig cfg) {
        RandomGenerator master = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        this.netRandom = RandomGeneratorFactory.of("L64X128MixRandom").create(master.nextLong());
        RandomGenerator clockRandom = RandomGeneratorFactory.of("L64X128MixRandom").create(master.nextLong());
        RandomGenerator daemonRandom = RandomGeneratorFactory.of("L64X128MixRandom").create(master.nextLong());
        this.net = net;
        this.rawInitialOffset = initialOffsetSeconds;
        this.rawFreqPpm = freqErrorPpm;
        if (kind == ClockKind.SYSTEM) {
            simClock = new SimulatedClock(scheduler::now, initialOffsetSeconds, freqErrorPpm, wanderPpmPerSqrtSecond,
                    83333.333, clockRandom);
            nullClock = null;
            driver = simClock;
        } else {
            simClock = null;
            nullClock = new NullClockDriver(this::freeRunningRawNanos);
            driver = nullClock;
        }
        // the daemon's detector of clock steps it did not make, re-based by the driver's own steps
        jumpDetector = new ClockJumpDetector(driver::readRawNanos, this::monotonicNanos, 0.010, 0.0);
        manager = new SourceManager(jumpDetector.watching(driver), scheduler, daemonRandom, this::send, (name, cb) -> cb.accept(
                servers.stream().map(s -> s.address).toList()), cfg);
    }

    private long freeRunningRawNanos() {
        return monotonicNanos() + externalStepNanos;
    }

    /** The host's CLOCK_MONOTONIC: its raw clock without the steps (own or external). */
    public long monotonicNanos() {
        if (simClock != null) return simClock.monotonicNanos();
        double t = (scheduler.now() - START_NANOS) * 1e-9;
        return scheduler.now() + Math.round((rawInitialOffset + rawFreqPpm * 1e-6 * t) * 1e9);
    }

    /** Someone else steps the host's system clock by {@code seconds} (the daemon is not told). */
    public void stepSystemClockExternally(double seconds) {
        if (simClock != null) simClock.stepExternally(seconds);
        else externalStepNanos += Math.round(seconds * 1e9);
    }

    /** Called before each upstream response is handed to the sources; false drops it (daemon hooks). */
    public java.util.function.BooleanSupplier beforeResponse = () -> true;
    private long externalStepNanos;

    public ClockDriver driver() { return driver; }

    public SimulatedClock simulatedClock() { return simClock; }

    /** Error of the time the host shows (system clock, or the served time under -x), seconds. */
    public double errorSeconds() {
        if (simClock != null) return simClock.rawErrorSeconds();
        long raw = nullClock.readRawNanos();
        return (nullClock.correctedNanos(raw) - scheduler.now()) * 1e-9;
    }

    /** Error of the discipline's own time estimate (raw + pending correction), seconds. */
    public double cookedErrorSeconds() {
        if (simClock != null) return simClock.cookedErrorSeconds();
        return errorSeconds();
    }

    /** Frequency error of that time, ppm. */
    public double freqErrorPpm() {
        if (simClock != null) return simClock.residualFrequencyPpm();
        return rawFreqPpm + nullClock.readFrequencyPpm() + rawFreqPpm * nullClock.readFrequencyPpm() * 1e-6;
    }

    public SimServer server(double errorSeconds, int stratum, LongPredicate up) {
        InetAddress a;
        try {
            a = InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) nextHost++});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        SimServer s = new SimServer(a, errorSeconds, 0, stratum, up);
        servers.add(s);
        return s;
    }

    public NtpSource addSource(SimServer s, SourceOptions opts) {
        return manager.addServer(s.address.getHostAddress(), new SourceAddress(s.address, opts.port()), opts)
                .orElseThrow();
    }

    public static LongPredicate always() {
        return t -> true;
    }

    /** Up except between {@code fromSeconds} and {@code toSeconds} after the start. */
    public static LongPredicate downBetween(double fromSeconds, double toSeconds) {
        return t -> {
            double s = (t - START_NANOS) * 1e-9;
            return s < fromSeconds || s >= toSeconds;
        };
    }

    private double exp(double mean) {
        return mean <= 0 ? 0 : -mean * Math.log(1 - netRandom.nextDouble());
    }

    private double stall() {
        return net.stallProbability() > 0 && netRandom.nextDouble() < net.stallProbability()
                ? exp(net.stallMeanSeconds()) : 0;
    }

    private long send(byte[] pkt, int len, SourceAddress dst) {
        long txRaw = driver.readRawNanos();
        byte[] request = java.util.Arrays.copyOf(pkt, len);
        SimServer server = servers.stream().filter(s -> s.address.equals(dst.address())).findFirst().orElse(null);
        if (server == null) return txRaw;
        if (netRandom.nextDouble() < net.loss()) {
            lostPackets++;
            return txRaw;
        }
        double out = net.baseDelaySeconds() / 2 + net.asymmetrySeconds() + exp(net.jitterMeanSeconds()) + stall();
        scheduler.schedule(Math.round(out * 1e9), () -> {
            long rxTrue = scheduler.now();
            if (!server.up.test(rxTrue)) return;
            long txTrue = rxTrue + Math.round(server.processingSeconds * 1e9);
            byte[] reply = server.answer(request, rxTrue, txTrue, START_NANOS);
            if (reply == null) return;
            if (netRandom.nextDouble() < net.loss()) {
                lostPackets++;
                return;
            }
            double back = net.baseDelaySeconds() / 2 + exp(net.jitterMeanSeconds());
            scheduler.schedule(Math.round((server.processingSeconds + back) * 1e9), () -> {
                long rxRaw = driver.readRawNanos();
                if (!beforeResponse.getAsBoolean()) return;
                manager.onResponse(reply, 0, reply.length, rxRaw, dst);
            });
        });
        return txRaw;
    }

    /** Starts the daemon and records the error every {@code everySeconds}. */
    public void start(double everySeconds) {
        manager.start();
        long step = Math.round(everySeconds * 1e9);
        Runnable[] probe = new Runnable[1];
        probe[0] = () -> {
            trace.add(new Point((scheduler.now() - START_NANOS) * 1e-9, errorSeconds(), freqErrorPpm()));
            scheduler.schedule(step, probe[0]);
        };
        scheduler.schedule(0, probe[0]);
    }

    public void runFor(double seconds) {
        scheduler.runUntil(scheduler.now() + Math.round(seconds * 1e9));
    }

    public double nowSeconds() {
        return (scheduler.now() - START_NANOS) * 1e-9;
    }

    public List<Point> trace() { return trace; }

    /** First time from which |error| stays below {@code bound} until the end (NaN if never). */
    public double settledAfter(double boundSeconds) {
        double t = Double.NaN;
        for (Point p : trace) {
            if (Math.abs(p.errorSeconds()) >= boundSeconds) t = Double.NaN;
            else if (Double.isNaN(t)) t = p.tSeconds();
        }
        return t;
    }

    public double maxAbsError(double fromSeconds) {
        return trace.stream().filter(p -> p.tSeconds() >= fromSeconds).mapToDouble(p -> Math.abs(p.errorSeconds()))
                .max().orElse(Double.NaN);
    }

    public double rmsError(double fromSeconds) {
        return Math.sqrt(trace.stream().filter(p -> p.tSeconds() >= fromSeconds)
                .mapToDouble(p -> p.errorSeconds() * p.errorSeconds()).average().orElse(Double.NaN));
    }

    public double maxAbsFreqError(double fromSeconds) {
        return trace.stream().filter(p -> p.tSeconds() >= fromSeconds).mapToDouble(p -> Math.abs(p.freqErrorPpm()))
                .max().orElse(Double.NaN);
    }

    public double rmsFreqError(double fromSeconds) {
        return Math.sqrt(trace.stream().filter(p -> p.tSeconds() >= fromSeconds)
                .mapToDouble(p -> p.freqErrorPpm() * p.freqErrorPpm()).average().orElse(Double.NaN));
    }

    /** One line of figures for docs/PERFORMANCE.md. */
    public String figures(String scenario, double boundSeconds, double fromSeconds) {
        return String.format(Locale.ROOT,
                "%-34s settled(<%s) at %7.1f s | after %5.0f s: max %9.1f us, rms %8.1f us, "
                        + "max freq %7.3f ppm, rms freq %7.3f ppm | steps %d, updates %d, events %d",
                scenario, fmtBound(boundSeconds), settledAfter(boundSeconds), fromSeconds,
                maxAbsError(fromSeconds) * 1e6, rmsError(fromSeconds) * 1e6, maxAbsFreqError(fromSeconds),
                rmsFreqError(fromSeconds), manager.discipline().steps(), manager.discipline().updates(),
                scheduler.executed());
    }

    private static String fmtBound(double b) {
        return b >= 1e-3 ? (b * 1e3) + "ms" : (b * 1e6) + "us";
    }
}
