package org.jchrony.sim;

import java.util.PriorityQueue;
import org.jchrony.core.Scheduler;

/**
 * Simulated true time with an event queue. Events run in time order (FIFO among equal times),
 * one at a time, like the daemon's core loop.
 */
public final class SimScheduler implements Scheduler {
    private static final class Event implements Timer, Comparable<Event> {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Event(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long executed;

    public SimScheduler(long startNanos) {
        this.now = startNanos;
    }

    /** True time now, ns since the Unix epoch. */
    public long now() {
        return now;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        Event e = new Event(now + Math.max(0, delayNanos), seq++, task);
        queue.add(e);
        return e;
    }

    /** Runs events until true time {@code untilNanos} (inclusive), then sets the time there. */
    public void runUntil(long untilNanos) {
        while (!queue.isEmpty() && queue.peek().at <= untilNanos) {
            Event e = queue.poll();
            if (e.cancelled) continue;
            now = e.at;
            executed++;
            e.task.run();
        }
        now = Math.max(now, untilNanos);
    }

    public long executed() {
        return executed;
    }
}
