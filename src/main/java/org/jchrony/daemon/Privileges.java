package org.jchrony.daemon;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * chronyd's {@code -u USER} / {@code user}: when started as root, switch to an unprivileged user
 * once initialisation is done (sockets bound, pid file and command socket created), keeping
 * only CAP_SYS_TIME so the clock can still be disciplined.
 *
 * <p>Capabilities are per thread on Linux. glibc's setresuid/setresgid change the ids of every
 * thread of the process; only the calling thread, which set PR_SET_KEEPCAPS beforehand, keeps
 * its permitted set and then raises CAP_SYS_TIME in its effective set. So this must be called
 * on the core event-loop thread, the one thread that adjusts the clock. Threads it creates
 * later inherit its capabilities; the server loops need none (their sockets are bound).
 */
final class Privileges {
    private static final int PR_SET_KEEPCAPS = 8;
    private static final int SYS_CAPSET = 126; // x86-64
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int CAP_SYS_TIME = 25;

    private Privileges() {}

    /** The numeric user and group of a user name, from getpwnam(3). */
    record Account(String name, int uid, int gid) {}

    static boolean runningAsRoot() {
        try {
            return (int) handle("geteuid", FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact() == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    static Account lookup(String user) throws DaemonException {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle getpwnam = handle("getpwnam", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MemorySegment pw = (MemorySegment) getpwnam.invokeExact(arena.allocateFrom(user));
            if (pw.equals(MemorySegment.NULL)) throw new DaemonException("Could not get user/group ID of " + user);
            // struct passwd on x86-64 glibc: char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ...
            MemorySegment p = pw.reinterpret(24);
            return new Account(user, p.get(ValueLayout.JAVA_INT, 16), p.get(ValueLayout.JAVA_INT, 20));
        } catch (DaemonException e) {
            throw e;
        } catch (Throwable t) {
            throw new DaemonException("Could not get user/group ID of " + user + ": " + t);
        }
    }

    /** Switches the process to {@code account}, keeping CAP_SYS_TIME on the calling thread if {@code keepClock}. */
    static void dropTo(Account account, boolean keepClock) throws DaemonException {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle prctl = handle("prctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            MethodHandle setgroups = handle("setgroups", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS));
            MethodHandle setresgid = handle("setresgid", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle setresuid = handle("setresuid", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle syscall = handle("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS));

            if ((int) prctl.invokeExact(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0) throw fail("prctl(PR_SET_KEEPCAPS)");
            MemorySegment groups = arena.allocate(ValueLayout.JAVA_INT);
            groups.set(ValueLayout.JAVA_INT, 0, account.gid());
            if ((int) setgroups.invokeExact(1L, groups) != 0) throw fail("setgroups");
            int g = account.gid();
            if ((int) setresgid.invokeExact(g, g, g) != 0) throw fail("setresgid");
            int u = account.uid();
            if ((int) setresuid.invokeExact(u, u, u) != 0) throw fail("setresuid");
            if (keepClock) {
                // struct __user_cap_header_struct { u32 version; int pid; } and two data words
                // { u32 effective, permitted, inheritable } for capabilities 0-31 and 32-63.
                MemorySegment header = arena.allocate(8);
                header.set(ValueLayout.JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
                header.set(ValueLayout.JAVA_INT, 4, 0);
                MemorySegment data = arena.allocate(24);
                int bit = 1 << CAP_SYS_TIME;
                data.set(ValueLayout.JAVA_INT, 0, bit);
                data.set(ValueLayout.JAVA_INT, 4, bit);
                if ((long) syscall.invokeExact((long) SYS_CAPSET, header, data) != 0) throw fail("capset(CAP_SYS_TIME)");
            }
        } catch (DaemonException e) {
            throw e;
        } catch (Throwable t) {
            throw new DaemonException("Could not drop root privileges: " + t);
        }
    }

    /**
     * chronyd's -P PRIORITY / sched_priority: SCHED_FIFO at that priority for the calling
     * thread (Linux schedules threads, so the daemon calls this on each of its loop threads).
     */
    static void realtimePriority(int priority) throws DaemonException {
        final int schedFifo = 1;
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle setscheduler = handle("sched_setscheduler", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT);
            param.set(ValueLayout.JAVA_INT, 0, priority);
            if ((int) setscheduler.invokeExact(0, schedFifo, param) != 0) {
                throw new DaemonException("Could not set scheduler priority " + priority);
            }
        } catch (DaemonException e) {
            throw e;
        } catch (Throwable t) {
            throw new DaemonException("Could not set scheduler priority " + priority + ": " + t);
        }
    }

    private static DaemonException fail(String call) {
        return new DaemonException("Could not drop root privileges: " + call + " failed");
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        return linker.downcallHandle(libc.find(name).orElseThrow(), fd);
    }
}
