package org.jchrony.daemon;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jchrony.config.ConfigException;
import org.jchrony.config.ConfigParser;
import org.jchrony.config.DaemonConfig;
import org.jchrony.config.ParseResult;
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

    private final DaemonConfig config;
    private DaemonCore core;

    /** Whether -u or the user directive asked for a user (see {@link DaemonCore#dropPrivileges}). */
    private final boolean userRequested;

    private Daemon(DaemonOptions options, DaemonConfig config, boolean userRequested) {
        this.options = options;
        this.config = config;
        this.userRequested = userRequested;
    }

    /** chronyd's default configuration file, falling back to the RHEL location. */
    static Path defaultConfigFile() {
        Path debian = Path.of("/etc/chrony/chrony.conf");
        Path rhel = Path.of("/etc/chrony.conf");
        return Files.exists(debian) || !Files.exists(rhel) ? debian : rhel;
    }

    /** Reads the configuration (directives on the command line replace the file); with -p prints it and returns null. */
    public static Daemon create(DaemonOptions options, PrintStream out, PrintStream err) throws DaemonException {
        ParseResult parsed;
        try {
            // With -p, each line is printed as it is read, so a bad line is preceded by the
            // good ones, as chronyd prints them.
            java.util.function.Consumer<String> printer = options.printConfig() ? out::println : null;
            if (!options.directives().isEmpty()) {
                parsed = printer == null ? ConfigParser.parseLines(options.directives(), "command line")
                        : ConfigParser.parseLines(options.directives(), "command line", printer);
            } else {
                Path file = options.configFile() != null ? options.configFile() : defaultConfigFile();
                parsed = printer == null ? ConfigParser.parseFile(file) : ConfigParser.parseFile(file, printer);
            }
            if (options.printConfig()) {
                out.flush();
                return null;
            }
            DaemonConfig cfg = DaemonConfig.from(parsed, org.jchrony.config.BuildDefaults.DEBIAN, options.restartMode());
            boolean userDirective = parsed.directives().stream()
                    .anyMatch(d -> d.keyword() == org.jchrony.config.Keyword.USER);
            return new Daemon(options, cfg, options.user() != null || userDirective);
        } catch (ConfigException e) {
            throw new DaemonException(e.getMessage());
        }
    }

    /** Brings the daemon up; throws (after undoing what was started) if any step fails. */
    public void start() throws DaemonException {
        LOG.info("chronyd version {} starting ({})", Version.version(), Version.features());
        for (String w : config.warnings()) LOG.warn("{}", w);
        if (options.seccompLevel() != 0) LOG.warn("Warning: -F (system call filter) is not available on the JVM; ignored");
        if (options.lockMemory()) LOG.warn("Warning: -m (lock memory) is not available on the JVM; ignored");
        if (options.noClockControl() || options.printOffsetOnce()) LOG.info("Disabled control of system clock");
        createCommandSocketDirectory();
        long pid = ProcessHandle.current().pid();
        if (config.pidFile().isPresent() && !config.pidFile().get().isEmpty()) {
            PidFile pidFile = new PidFile(Path.of(config.pidFile().get()));
            pidFile.acquire(pid);
            stopStack.push(() -> pidFile.release(pid));
        }
        core = new DaemonCore(config, options, () -> new Thread(this::stopAndExit, "jchronyd-stop").start());
        core.start();
        stopStack.push(core);
        if (userRequested) core.dropPrivileges(options.user() != null ? options.user() : config.user());
        if (options.oneShot()) core.onFirstUpdate(() -> new Thread(this::stop, "jchronyd-oneshot").start());
        if (options.timeoutSeconds() >= 0) {
            // chronyd -t: exit after the timeout, with a non-zero status if not synchronised.
            core.scheduler().schedule(Math.round(options.timeoutSeconds() * 1e9), () -> {
                exitStatus = core.synchronised() ? 0 : 1;
                new Thread(this::stop, "jchronyd-timeout").start();
            });
        }
        core.notifyReady();
    }

    /**
     * The directory of the Unix command socket, when missing, is created private (0700) before
     * anything else (pid file, driftfile) can create it with looser permissions; an existing
     * directory is checked later as chronyd checks it.
     */
    private void createCommandSocketDirectory() {
        if (options.oneShot()) return;
        config.bindCmdSocket().filter(p -> !p.isEmpty()).map(p -> Path.of(p).toAbsolutePath().getParent()).ifPresent(dir -> {
            if (Files.exists(dir)) return;
            try {
                Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (java.io.IOException e) {
                LOG.warn("Could not create {} : {}", dir, e.getMessage());
            }
        });
    }

    /** A stop requested from inside (chronyc shutdown, maxchange): stop, then end the process. */
    private void stopAndExit() {
        stop();
        System.exit(exitStatus);
    }

    /** Arranges that SIGTERM/SIGINT (JVM shutdown) stop the daemon cleanly. */
    public void exitOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "jchronyd-shutdown"));
        // chronyd exits with status 0 after SIGTERM/SIGINT; the JVM's default would be 128 + signal
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> System.exit(exitStatus));
            } catch (IllegalArgumentException e) {
                LOG.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
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
        Path devLog = Path.of("/dev/log");
        if (!Files.exists(devLog)) return null;
        try {
            org.jchrony.net.UnixDatagramSocket s = org.jchrony.net.UnixDatagramSocket.open();
            return bytes -> {
                try {
                    s.sendTo(bytes, 0, bytes.length, devLog.toString());
                } catch (java.io.IOException e) {
                    // syslog unavailable: nothing sensible to do with the line
                }
            };
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
