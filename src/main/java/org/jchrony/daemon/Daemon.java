package org.jchrony.daemon;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jchrony.cli.DaemonOptions;
import org.jchrony.cli.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from the configuration, starts them in
 * order and stops them in reverse, as chronyd does: pid file, sockets, sources, command
 * socket; at exit the driftfile is written, sockets closed and the pid file removed.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");

    private final DaemonOptions options;
    private final Deque<AutoCloseable> stopStack = new ArrayDeque<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile int exitStatus;
    private volatile boolean stopped;

    private Daemon(DaemonOptions options) {
        this.options = options;
    }

    /** Reads the configuration; with -p prints it and returns null. */
    public static Daemon create(DaemonOptions options, PrintStream out, PrintStream err) throws DaemonException {
        return new Daemon(options);
    }

    /** Brings the daemon up; throws (after undoing what was started) if any step fails. */
    public void start() throws DaemonException {
        LOG.info("chronyd version {} starting ({})", Version.version(), Version.features());
        if (options.noClockControl()) LOG.info("Disabled control of system clock");
    }

    /** Arranges that SIGTERM/SIGINT (JVM shutdown) stop the daemon cleanly. */
    public void exitOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "jchronyd-shutdown"));
    }

    /** For -q/-Q/-t: waits until the daemon decides to exit; returns the exit status. */
    public int awaitExit() {
        exitOnShutdown();
        try {
            exited.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitStatus;
    }

    /** Stops everything in reverse start order; idempotent. */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        while (!stopStack.isEmpty()) {
            try {
                stopStack.pop().close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.toString());
            }
        }
        LOG.info("chronyd exiting");
        exited.countDown();
    }

    /** Where syslog-bound log lines go: /dev/log when it exists, else null (stderr). */
    public static Consumer<byte[]> syslogSink() {
        return null;
    }
}
