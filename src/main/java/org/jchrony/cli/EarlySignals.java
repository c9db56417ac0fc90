package org.jchrony.cli;

import java.util.function.Consumer;

/**
 * SIGTERM/SIGINT during start-up, handled as chronyd handles them: chronyd installs its signal
 * handlers early, so a SIGTERM while it starts ends in its normal exit (status 0, "chronyd
 * exiting", driftfile written) rather than death by the signal. The JVM's default would exit
 * with 143 at once, without the daemon's shutdown.
 *
 * <p>{@link #install()} replaces the JVM's default with a handler that only records the signal;
 * once the daemon is up, {@link #handOver(Consumer)} gives a recorded signal, and any that
 * reaches this handler later (the JVM runs each handler on a thread of its own, so one can
 * still be on its way after the daemon installed its own), to the daemon's shutdown. Before
 * {@code main} runs (JVM creation, ~60-100 ms) the JVM's default still applies, as chronyd's
 * default applies before its own handlers are installed.
 */
final class EarlySignals {
    private EarlySignals() {}

    private static final Object LOCK = new Object();
    private static sun.misc.Signal pending;
    private static Consumer<sun.misc.Signal> target;

    static void install() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), EarlySignals::received);
            } catch (IllegalArgumentException e) {
                // signal not available (e.g. ignored with -Xrs): keep the default
            }
        }
    }

    private static void received(sun.misc.Signal sig) {
        Consumer<sun.misc.Signal> t;
        synchronized (LOCK) {
            t = target;
            if (t == null) {
                if (pending == null) pending = sig;
                return;
            }
        }
        t.accept(sig);
    }

    /**
     * From now on a signal this handler receives goes to {@code daemonStop}, and one received
     * before goes there now (on the calling thread).
     */
    static void handOver(Consumer<sun.misc.Signal> daemonStop) {
        sun.misc.Signal early;
        synchronized (LOCK) {
            target = daemonStop;
            early = pending;
        }
        if (early != null) daemonStop.accept(early);
    }
}
