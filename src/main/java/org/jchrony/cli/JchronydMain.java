package org.jchrony.cli;

import java.io.PrintStream;
import org.jchrony.daemon.Daemon;
import org.jchrony.daemon.DaemonException;
import org.jchrony.daemon.Detach;
import org.jchrony.daemon.Logging;

/**
 * jchronyd's entry point, with chronyd's command line and exit statuses: 0 after a clean
 * run or a successful start in the background, 1 on any error (bad option, bad
 * configuration, failed initialisation).
 */
public final class JchronydMain {
    private JchronydMain() {}

    public static void main(String[] args) {
        Logging.skipAutoConfiguration();
        int rc;
        try {
            rc = run(args, System.out, System.err);
        } catch (RuntimeException | Error e) {
            // In the background the launcher waits for a status: never leave it waiting.
            if (!Detach.isDetachedChild()) throw e;
            Detach.reportError("Fatal error : " + e);
            rc = 1;
        }
        if (rc >= 0) {
            Detach.reportExit(rc);
            System.exit(rc);
        }
        // rc < 0: a foreground or background daemon is running; its threads keep the JVM alive.
    }

    /** Runs the command line; returns the exit status, or -1 when a daemon is now running. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine.Parsed parsed = CommandLine.parse(args);
        switch (parsed) {
            case CommandLine.Parsed.PrintVersion v -> {
                out.println(Version.line("jchronyd"));
                return 0;
            }
            case CommandLine.Parsed.PrintHelp h -> {
                out.print(CommandLine.usage("jchronyd"));
                return 0;
            }
            case CommandLine.Parsed.Error e -> {
                err.println("jchronyd: " + e.message());
                err.print(CommandLine.usage("jchronyd"));
                return 1;
            }
            case CommandLine.Parsed.Run r -> {
                return runDaemon(r.options(), args, out, err);
            }
        }
    }

    private static int runDaemon(DaemonOptions o, String[] args, PrintStream out, PrintStream err) {
        boolean child = Detach.isDetachedChild();
        if (!o.foreground() && !o.printConfig() && !child) {
            return Detach.launchAndWait(JchronydMain.class.getName(), args, err);
        }
        if (child) Detach.newSession();
        // First: a SIGTERM/SIGINT from here on ends in the daemon's clean exit (see EarlySignals).
        if (!o.printConfig()) EarlySignals.install();
        if (!o.printConfig() && !Boolean.getBoolean("jchrony.noWarmUp")) {
            // slf4j initialises once, here: Netty's logger lookups on the warm-up thread must
            // not race with that initialisation (they would get slf4j's substitute factory).
            org.slf4j.LoggerFactory.getILoggerFactory();
            StartupWarmUp.start();
        }
        Logging.Target wanted = Logging.target(o.debugLevel(), o.logFile(), !child, System.getenv("JOURNAL_STREAM"));
        // /dev/log is opened only for syslog (its socket's FFM stubs cost start-up time).
        java.util.function.Consumer<byte[]> syslog = wanted == Logging.Target.SYSLOG ? Daemon.syslogSink() : null;
        // In the background without /dev/log, lines have nowhere to go (chronyd's are lost too): not
        // to the caller's terminal, which only gets the error through the launcher's pipe.
        if (child && syslog == null && wanted == Logging.Target.SYSLOG) syslog = bytes -> { };
        Logging.Target logTarget = Logging.configure(wanted, Logging.level(o.logLevel(), o.debugLevel()), o.logFile(), syslog);
        try {
            Daemon daemon = Daemon.create(o, out, err);
            if (daemon == null) return 0; // -p printed the configuration
            daemon.start();
            if (child) Detach.reportReady();
            if (o.oneShot() || o.timeoutSeconds() >= 0) {
                // a signal before awaitExit's own handlers: stop (awaitExit then returns at once)
                EarlySignals.handOver(sig -> daemon.stop());
                return daemon.awaitExit();
            }
            daemon.exitOnShutdown();
            // a signal before the daemon's handlers: raised again, now for them
            EarlySignals.handOver(sun.misc.Signal::raise);
            return -1;
        } catch (DaemonException e) {
            org.slf4j.LoggerFactory.getLogger(JchronydMain.class).error("Fatal error : {}", e.getMessage());
            if (child) Detach.reportError("Fatal error : " + e.getMessage());
            else if (logTarget != Logging.Target.STDERR) err.println("Fatal error : " + e.getMessage());
            return 1;
        }
    }
}
