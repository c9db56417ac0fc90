package org.jchrony.core;

/**
 * Timers on the single core event loop. Every protocol and algorithm object that needs to
 * act later gets one of these injected; the daemon backs it with the Netty core loop, the
 * simulator with simulated time. Tasks always run on the core thread, never concurrently.
 */
public interface Scheduler {

    /** Runs {@code task} once, {@code delayNanos} from now (never earlier). */
    Timer schedule(long delayNanos, Runnable task);

    /** A scheduled task. Cancelling an already run or cancelled task does nothing. */
    interface Timer {
        void cancel();
    }
}
