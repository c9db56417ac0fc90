package org.jchrony.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jchrony.net.Libc;

/**
 * Start-up work moved off the path to the first NTP reply (docs/PERFORMANCE.md "Footprint"):
 * while the main thread configures logging, reads chrony.conf and writes the pid file, a second
 * thread initialises Netty's epoll transport (its native library, {@code PlatformDependent} and
 * Netty's own FFM linker) and {@code SecureRandom}'s providers, and creates the FFM downcall stubs the daemon needs before it answers
 * its first request. Those are generated classes the AOT cache cannot keep, 10-20 ms each.
 *
 * <p>Nothing here has an effect of its own: class initialisation runs once and is thread-safe,
 * and the linker caches stubs by signature, so the daemon's own calls either find the work done
 * or wait for it. Each native call is made on descriptor -1 (or an invalid address family), so
 * it fails with EBADF/EAFNOSUPPORT before touching anything. {@code -Djchrony.noWarmUp=true}
 * (in JCHRONY_JAVA_OPTS) turns it off, for comparisons.
 */
final class StartupWarmUp {
    private StartupWarmUp() {}

    /** Starts the warm-up thread (a daemon thread: it never keeps the JVM alive). */
    static void start() {
        Thread t = new Thread(StartupWarmUp::run, "jchronyd-warmup");
        t.setDaemon(true);
        t.start();
    }

    static void run() {
        try {
            // Epoll.<clinit>: loads the native library, Native and PlatformDependent (which builds
            // Netty's cleaner linker); needed by the daemon's first event loop group.
            io.netty.channel.epoll.Epoll.isAvailable();
        } catch (Throwable t) {
            // the daemon reports it, if it matters
        }
        try {
            // SecureRandom: java.security, the providers and NativePRNG's shared /dev/urandom
            // state initialise once per JVM; DaemonCore's own SecureRandom, created before the
            // sockets are bound, then finds them ready.
            new java.security.SecureRandom().nextLong();
        } catch (Throwable t) {
            // the daemon reports it, if it matters
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Libc.newCallState(arena);
            MemorySegment buf = arena.allocate(Libc.SOCKADDR_STORAGE_SIZE);
            MemorySegment len = arena.allocate(8);
            // In the order the daemon first needs them: clock, server socket set-up, then the
            // batch receive and send of the first request.
            Libc.clockRealtimeNanos(arena.allocate(Libc.TIMESPEC));
            Libc.socket(cs, -1, Libc.SOCK_DGRAM, 0);
            Libc.setsockopt(cs, -1, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, buf, 4);
            Libc.bind(cs, -1, buf, Libc.SOCKADDR_IN_SIZE);
            Libc.getsockname(cs, -1, buf, len);
            Libc.fcntl(cs, -1, Libc.F_GETFL, 0);
            Libc.recvmmsgFast(-1, buf, 0, Libc.MSG_DONTWAIT);
            Libc.sendmmsgFast(-1, buf, 0, 0);
            Libc.errnoLocation();
        } catch (Throwable t) {
            // a warm-up only
        }
    }
}
