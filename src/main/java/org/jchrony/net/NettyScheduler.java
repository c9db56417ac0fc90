package org.jchrony.net;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jchrony.core.Scheduler;

/**
 * {@link Scheduler} on the single-thread core event loop, the role of chronyd's scheduler
 * timeouts: every task runs on that loop's thread, never concurrently with packet callbacks
 * registered on the same loop.
 */
public final class NettyScheduler implements Scheduler {
    private final EventLoop loop;

    public NettyScheduler(EventLoop loop) {
        this.loop = loop;
    }

    public EventLoop loop() {
        return loop;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> f = loop.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** Runs {@code task} on the core loop as soon as possible. */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    public boolean inLoop() {
        return loop.inEventLoop();
    }
}
