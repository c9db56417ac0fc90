package org.jchrony.daemon;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Running in the background as chronyd does without {@code -n}/{@code -d}: the command returns
 * only after the daemon has initialised (sockets bound, pid file written), with status 0, or with
 * the daemon's error message and status 1.
 *
 * <p>The JVM cannot fork, so the shell launchers ({@code bin/jchronyd}, the package's
 * {@code /usr/sbin/jchronyd}) fork for it: they start the one JVM in a new session
 * ({@code setsid -f}, stdin {@code /dev/null} opened read-write) with {@value #READY_FD_ENV}
 * naming a pipe descriptor, and wait until that pipe is closed. The daemon writes
 * {@value #READY} there once initialised, or its error message, or {@code EXIT n} when it ended
 * otherwise, then points the pipe, stdout and stderr at /dev/null (see docs/DESIGN-NOTES.md).
 *
 * <p>Started as {@code java ... JchronydMain} without a launcher, there is nobody to fork: the
 * JVM then starts a copy of itself with {@value #ENV} set and reads the same status from the
 * copy's stdout ({@link #launchAndWait}), at the cost of a second JVM start.
 */
public final class Detach {
    public static final String ENV = "JCHRONY_DETACHED";
    /** Set by the launchers: the descriptor of the status pipe. */
    public static final String READY_FD_ENV = "JCHRONY_READY_FD";
    /** Set by the launchers when they could not start the JVM in a session of its own. */
    public static final String SETSID_ENV = "JCHRONY_SETSID";
    private static final String READY = "JCHRONY-READY";
    private static final String ERROR = "JCHRONY-ERROR ";

    private static final int READY_FD = readyFd();
    private static boolean reported;

    private Detach() {}

    private static int readyFd() {
        String v = System.getenv(READY_FD_ENV);
        if (v == null) return -1;
        try {
            int fd = Integer.parseInt(v.trim());
            return fd > 2 ? fd : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True in the background daemon, started either by a launcher or by {@link #launchAndWait}. */
    public static boolean isDetachedChild() {
        return READY_FD >= 0 || "1".equals(System.getenv(ENV));
    }

    /** In the launching JVM (no shell launcher): start the background copy and wait for its status. Returns the exit status. */
    public static int launchAndWait(String mainClass, String[] args, PrintStream err) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD); // its errors come back through the pipe
        pb.environment().put(ENV, "1");
        pb.environment().put(SETSID_ENV, "1");
        pb.environment().remove(READY_FD_ENV);
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals(READY)) return 0;
                    if (line.startsWith(ERROR)) {
                        err.println(line.substring(ERROR.length()));
                        p.waitFor(5, TimeUnit.SECONDS);
                        return 1;
                    }
                }
            }
            int rc = p.waitFor();
            err.println("Fatal error : jchronyd exited during initialisation (status " + rc + ")");
            return rc == 0 ? 1 : rc;
        } catch (IOException e) {
            err.println("Fatal error : could not start the daemon: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * In the background daemon, first thing: leave the launcher's session and terminal, unless the
     * launcher already started it in a session of its own ({@code setsid -f}).
     */
    public static void newSession() {
        if (READY_FD >= 0 && !"1".equals(System.getenv(SETSID_ENV))) return;
        try {
            Linker l = Linker.nativeLinker();
            MethodHandle setsid = l.downcallHandle(l.defaultLookup().find("setsid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            int rc = (int) setsid.invokeExact();
            if (rc < 0) { /* already a session leader: nothing to do */ }
        } catch (Throwable t) {
            // not fatal: the daemon still works attached to the launcher's session
        }
    }

    /** In the background daemon: tell the launcher we are up, then point stdin/stdout/stderr (and the pipe) at /dev/null. */
    public static void reportReady() {
        report(READY);
        detachStreams();
    }

    /** In the background daemon: tell the launcher why we failed. */
    public static void reportError(String message) {
        report(ERROR + message.replace('\n', ' '));
    }

    /**
     * In the background daemon, about to exit with {@code status} before it reported readiness (an
     * error already printed on stderr, or a command line the launcher should have run in the
     * foreground): the launcher exits with the same status.
     */
    public static void reportExit(int status) {
        if (READY_FD >= 0 && !reported) report("EXIT " + status);
    }

    private static synchronized void report(String line) {
        if (reported) return;
        reported = true;
        if (READY_FD < 0) {
            System.out.println(line);
            System.out.flush();
            return;
        }
        // The launcher strips the protocol prefix from errors: it prints what it reads.
        String text = line.startsWith(ERROR) ? line.substring(ERROR.length()) : line.equals(READY) ? "READY" : line;
        // Opening /proc/self/fd/N gives a second descriptor of the same pipe: no native call needed to write.
        try (OutputStream o = new FileOutputStream("/proc/self/fd/" + READY_FD)) {
            o.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the launcher is gone: nobody to tell
        }
    }

    private static void detachStreams() {
        try (Arena arena = Arena.ofConfined()) {
            Linker l = Linker.nativeLinker();
            MethodHandle dup2 = l.downcallHandle(l.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int fd;
            if (READY_FD >= 0 && isDevNull(0)) {
                fd = 0; // the launcher's stdin: /dev/null opened read-write; saves an open()
            } else {
                MethodHandle open = l.downcallHandle(l.defaultLookup().find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                MemorySegment path = arena.allocateFrom("/dev/null");
                fd = (int) open.invokeExact(path, 2 /* O_RDWR */);
                if (fd < 0) return;
            }
            int last = Math.max(2, READY_FD);
            for (int target = 0; target <= last; target++) {
                if (target == fd || (target > 2 && target != READY_FD)) continue;
                int rc = (int) dup2.invokeExact(fd, target);
                if (rc < 0) break;
            }
            // an fd opened above stays open on /dev/null: harmless, and it saves a close() stub
        } catch (Throwable t) {
            // keep the streams; logging goes to syslog/file anyway
        }
    }

    private static boolean isDevNull(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().equals("/dev/null");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
