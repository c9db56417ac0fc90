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
        int rc = run(args, System.out, System.err);
        if (rc >= 0) System.exit(rc);
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
        Logging.Target wanted = Logging.target(o.debugLevel(), o.logFile(), !child, System.getenv("JOURNAL_STREAM"));
        // /dev/log is opened only for syslog (its socket's FFM stubs cost start-up time).
        Logging.Target logTarget = Logging.configure(wanted, Logging.level(o.logLevel(), o.debugLevel()), o.logFile(),
                wanted == Logging.Target.SYSLOG ? Daemon.syslogSink() : null);
        try {
            Daemon daemon = Daemon.create(o, out, err);
            if (daemon == null) return 0; // -p printed the configuration
            daemon.start();
            if (child) Detach.reportReady();
            if (o.oneShot() || o.timeoutSeconds() >= 0) {
                return daemon.awaitExit();
            }
            daemon.exitOnShutdown();
            return -1;
        } catch (DaemonException e) {
            org.slf4j.LoggerFactory.getLogger(JchronydMain.class).error("Fatal error : {}", e.getMessage());
            if (child) Detach.reportError("Fatal error : " + e.getMessage());
            else if (logTarget != Logging.Target.STDERR) err.println("Fatal error : " + e.getMessage());
            return 1;
        }
    }
}
