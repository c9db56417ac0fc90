package org.jchrony.clock;

import java.util.ArrayList;
import java.util.List;
import org.jchrony.core.Scheduler;

/** A Scheduler whose timers run only when the test says so. */
final class LinuxManualScheduler implements Scheduler {
    static final class Task implements Scheduler.Timer {
        final long delayNanos;
        final Runnable runnable;
        boolean cancelled;

        Task(long delayNanos, Runnable runnable) {
            this.delayNanos = delayNanos;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    final List<Task> tasks = new ArrayList<>();

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        Task t = new Task(delayNanos, task);
        tasks.add(t);
        return t;
    }

    /** The one pending (not cancelled, not run) task. */
    Task pending() {
        List<Task> live = tasks.stream().filter(t -> !t.cancelled).toList();
        if (live.size() != 1) {
            throw new AssertionError("expected one pending timer, got " + live.size());
        }
        return live.get(0);
    }

    long pendingCount() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    void runPending() {
        Task t = pending();
        t.cancelled = true;
        t.runnable.run();
    }
}
