package org.jchrony.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Running in the background as chronyd does without {@code -n}/{@code -d}: the launching
 * process returns only after the daemon has initialised (sockets bound, pid file written),
 * with status 0, or with the daemon's error message and status 1.
 *
 * <p>The JVM cannot fork, so the launching process starts a copy of itself with
 * {@value #ENV} set, reads one status line from the copy's stdout and exits; the copy calls
 * {@code setsid()} and, once ready, reports and detaches its standard streams.
 */
public final class Detach {
    public static final String ENV = "JCHRONY_DETACHED";
    private static final String READY = "JCHRONY-READY";
    private static final String ERROR = "JCHRONY-ERROR ";

    private Detach() {}

    /** True in the background copy. */
    public static boolean isDetachedChild() {
        return "1".equals(System.getenv(ENV));
    }

    /** In the launching process: start the background copy and wait for its status. Returns the exit status. */
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

    /** In the background copy, first thing: leave the launcher's session and terminal. */
    public static void newSession() {
        try {
            MethodHandle setsid = Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("setsid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            int rc = (int) setsid.invokeExact();
            if (rc < 0) { /* already a session leader: nothing to do */ }
        } catch (Throwable t) {
            // not fatal: the daemon still works attached to the launcher's session
        }
    }

    /** In the background copy: tell the launcher we are up, then point stdin/stdout/stderr at /dev/null. */
    public static void reportReady() {
        System.out.println(READY);
        System.out.flush();
        detachStreams();
    }

    /** In the background copy: tell the launcher why we failed. */
    public static void reportError(String message) {
        System.out.println(ERROR + message.replace('\n', ' '));
        System.out.flush();
    }

    private static void detachStreams() {
        try (Arena arena = Arena.ofConfined()) {
            Linker l = Linker.nativeLinker();
            MethodHandle open = l.downcallHandle(l.defaultLookup().find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle dup2 = l.downcallHandle(l.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle close = l.downcallHandle(l.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MemorySegment path = arena.allocateFrom("/dev/null");
            int fd = (int) open.invokeExact(path, 2 /* O_RDWR */);
            if (fd < 0) return;
            for (int target = 0; target <= 2; target++) {
                int rc = (int) dup2.invokeExact(fd, target);
                if (rc < 0) break;
            }
            if (fd > 2) {
                int rc = (int) close.invokeExact(fd);
                if (rc < 0) { /* ignore */ }
            }
        } catch (Throwable t) {
            // keep the streams; logging goes to syslog/file anyway
        }
    }
}
