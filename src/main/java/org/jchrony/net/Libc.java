package org.jchrony.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * FFM ({@code java.lang.foreign}) bindings to the few glibc socket calls jchrony needs, with
 * errno captured by the linker ({@code captureCallState("errno")}), plus the x86-64/aarch64
 * Linux constants and struct offsets they use. No JNI, no JNA.
 *
 * <p>Every call that can fail takes a caller-owned "call state" segment (see
 * {@link #newCallState(Arena)}) into which the linker writes errno; the hot paths keep one per
 * socket so that reading a batch allocates nothing.
 *
 * <p>Segments are passed to C by address (see the shapes below), so a caller must keep each
 * segment it passes alive (reachable, its arena open) until the call returns, as every caller
 * here does by holding them in fields or try-with-resources arenas.
 */
@SuppressWarnings("restricted") // FFM downcalls and reinterpret are the point of this class
public final class Libc {
    private Libc() {}

    // ---- constants (Linux, x86-64 and aarch64 share these values) ----
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_TIMESTAMPNS = 35;
    public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    public static final int SO_TIMESTAMPING = 37;
    public static final int SCM_TIMESTAMPING = SO_TIMESTAMPING;

    public static final int SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
    public static final int SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3;
    public static final int SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
    public static final int SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11;

    public static final int IPPROTO_IP = 0;
    public static final int IP_TOS = 1;
    public static final int IP_PKTINFO = 8;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_PKTINFO = 50;
    public static final int IPV6_TCLASS = 67;

    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 0x800;

    public static final int CLOCK_REALTIME = 0;

    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EMSGSIZE = 90;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNREFUSED = 111;

    // ---- struct layouts (LP64 Linux) ----
    /** struct iovec { void *iov_base; size_t iov_len; } */
    public static final int IOVEC_SIZE = 16;
    /** struct msghdr: name@0, namelen@8, iov@16, iovlen@24, control@32, controllen@40, flags@48; 56 bytes. */
    public static final int MSGHDR_NAME = 0;
    public static final int MSGHDR_NAMELEN = 8;
    public static final int MSGHDR_IOV = 16;
    public static final int MSGHDR_IOVLEN = 24;
    public static final int MSGHDR_CONTROL = 32;
    public static final int MSGHDR_CONTROLLEN = 40;
    public static final int MSGHDR_FLAGS = 48;
    /** struct mmsghdr { struct msghdr msg_hdr; unsigned msg_len; }: 64 bytes. */
    public static final int MMSGHDR_LEN = 56;
    public static final int MMSGHDR_SIZE = 64;
    /** struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then data, 8-aligned. */
    public static final int CMSG_HDR_SIZE = 16;
    /** struct sockaddr_in: family u16 (host order), port u16 (network order), addr 4 bytes, 8 zero. */
    public static final int SOCKADDR_IN_SIZE = 16;
    /** struct sockaddr_in6: family, port, flowinfo u32, addr 16 bytes, scope_id u32. */
    public static final int SOCKADDR_IN6_SIZE = 28;
    public static final int SOCKADDR_STORAGE_SIZE = 128;
    /** struct in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr; } */
    public static final int IN_PKTINFO_SIZE = 12;
    /** struct in6_pktinfo { in6_addr ipi6_addr; unsigned ipi6_ifindex; } */
    public static final int IN6_PKTINFO_SIZE = 20;

    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.ADDRESS.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
    public static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            MSGHDR.withName("msg_hdr"), ValueLayout.JAVA_INT.withName("msg_len"), MemoryLayout.paddingLayout(4));
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("cmsg_len"), ValueLayout.JAVA_INT.withName("cmsg_level"),
            ValueLayout.JAVA_INT.withName("cmsg_type"));
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin_family"), ValueLayout.JAVA_SHORT.withName("sin_port"),
            ValueLayout.JAVA_INT.withName("sin_addr"), MemoryLayout.paddingLayout(8));
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin6_family"), ValueLayout.JAVA_SHORT.withName("sin6_port"),
            ValueLayout.JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("sin6_addr"),
            ValueLayout.JAVA_INT.withName("sin6_scope_id"));
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_nsec"));

    static {
        if (MMSGHDR.byteSize() != MMSGHDR_SIZE || MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_flags")) != MSGHDR_FLAGS
                || SOCKADDR_IN6.byteSize() != SOCKADDR_IN6_SIZE || ValueLayout.ADDRESS.byteSize() != 8) {
            throw new ExceptionInInitializerError("unexpected struct layout: jchrony's FFM bindings need LP64 Linux");
        }
    }

    public static int cmsgAlign(int len) {
        return (len + 7) & ~7;
    }

    public static int cmsgSpace(int dataLen) {
        return CMSG_HDR_SIZE + cmsgAlign(dataLen);
    }

    public static int cmsgLen(int dataLen) {
        return CMSG_HDR_SIZE + dataLen;
    }

    // ---- downcalls ----
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    // Generating a downcall stub costs ~10-20 ms at start-up and the AOT cache cannot keep
    // them, but the linker caches stubs by (descriptor, options). So every call here goes
    // through one of three shapes: arguments passed as 64-bit integers (ints sign-extended,
    // pointers as addresses; unused trailing arguments are ignored by the callee in the SysV
    // x86-64 and AAPCS64 conventions, and the x86-64 linker always sets %al, so variadic fcntl
    // works), the result read as a 64-bit integer and narrowed to int where the C function
    // returns int (the low 32 bits are the C result). Before the first NTP reply this makes
    // 3 stubs instead of 9. Each bound handle still lives in a holder class, created on first
    // use; a static final in a holder constant-folds in the JIT.
    /** errno-capturing shape: (callState, a0..a5) -> long. */
    private static final FunctionDescriptor ERRNO_SHAPE =
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG);
    /** Hot-path shape without errno capture (the capture costs an allocation per call): (a0..a4) -> long. */
    private static final FunctionDescriptor FAST_SHAPE =
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG);

    private static MethodHandle withErrno(String name) {
        return downcall(name, ERRNO_SHAPE, ERRNO);
    }

    private static MethodHandle fast(String name) {
        return downcall(name, FAST_SHAPE);
    }

    private static final class SocketH { static final MethodHandle H = withErrno("socket"); }
    private static final class SetsockoptH { static final MethodHandle H = withErrno("setsockopt"); }
    private static final class GetsockoptH { static final MethodHandle H = withErrno("getsockopt"); }
    private static final class BindH { static final MethodHandle H = withErrno("bind"); }
    private static final class ConnectH { static final MethodHandle H = withErrno("connect"); }
    private static final class GetsocknameH { static final MethodHandle H = withErrno("getsockname"); }
    private static final class CloseH { static final MethodHandle H = withErrno("close"); }
    private static final class RecvmmsgH { static final MethodHandle H = withErrno("recvmmsg"); }
    private static final class SendmmsgH { static final MethodHandle H = withErrno("sendmmsg"); }
    private static final class SendtoH { static final MethodHandle H = withErrno("sendto"); }
    private static final class FcntlH { static final MethodHandle H = withErrno("fcntl"); }
    private static final class RecvmmsgFastH { static final MethodHandle H = fast("recvmmsg"); }
    private static final class SendmmsgFastH { static final MethodHandle H = fast("sendmmsg"); }
    private static final class RecvmsgFastH { static final MethodHandle H = fast("recvmsg"); }
    private static final class ErrnoLocationH { static final MethodHandle H = fast("__errno_location"); }
    private static final class IfNametoindexH { static final MethodHandle H = fast("if_nametoindex"); }
    private static final class StrerrorH { static final MethodHandle H = fast("strerror"); }
    /** clock_gettime through the vDSO: short, never blocks, so called as a "critical" downcall. */
    private static final class ClockGettimeH { static final MethodHandle H = downcall("clock_gettime",
            FunctionDescriptor.of(C_INT, C_INT, PTR), Linker.Option.critical(false)); }

    private static long a(MemorySegment s) {
        return s.address();
    }


    /** A segment for the linker to store errno in; one per thread/socket for the hot paths. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    public static int errno(MemorySegment callState) {
        return (int) ERRNO_HANDLE.get(callState, 0L);
    }

    public static int socket(MemorySegment cs, int domain, int type, int protocol) {
        try {
            return (int) (long) SocketH.H.invokeExact(cs, (long) domain, (long) type, (long) protocol, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(MemorySegment cs, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) (long) SetsockoptH.H.invokeExact(cs, (long) fd, (long) level, (long) name, a(value), (long) len, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockopt(MemorySegment cs, int fd, int level, int name, MemorySegment value, MemorySegment lenPtr) {
        try {
            return (int) (long) GetsockoptH.H.invokeExact(cs, (long) fd, (long) level, (long) name, a(value), a(lenPtr), 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(MemorySegment cs, int fd, MemorySegment addr, int len) {
        try {
            return (int) (long) BindH.H.invokeExact(cs, (long) fd, a(addr), (long) len, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int connect(MemorySegment cs, int fd, MemorySegment addr, int len) {
        try {
            return (int) (long) ConnectH.H.invokeExact(cs, (long) fd, a(addr), (long) len, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockname(MemorySegment cs, int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return (int) (long) GetsocknameH.H.invokeExact(cs, (long) fd, a(addr), a(lenPtr), 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(MemorySegment cs, int fd) {
        try {
            return (int) (long) CloseH.H.invokeExact(cs, (long) fd, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** recvmmsg(fd, vec, vlen, flags, NULL). */
    public static int recvmmsg(MemorySegment cs, int fd, MemorySegment vec, int vlen, int flags) {
        try {
            return (int) (long) RecvmmsgH.H.invokeExact(cs, (long) fd, a(vec), (long) vlen, (long) flags, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int sendmmsg(MemorySegment cs, int fd, MemorySegment vec, int vlen, int flags) {
        try {
            return (int) (long) SendmmsgH.H.invokeExact(cs, (long) fd, a(vec), (long) vlen, (long) flags, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long sendto(MemorySegment cs, int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            return (long) SendtoH.H.invokeExact(cs, (long) fd, a(buf), (long) len, (long) flags, a(addr), (long) addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * recvmmsg without errno capture, for the per-batch path; on -1 read errno with
     * {@link #lastErrno(MemorySegment)} (best effort: the JVM may in rare cases overwrite errno
     * between the call and the read, so use it for counting and logging, not for correctness).
     */
    public static int recvmmsgFast(int fd, MemorySegment vec, int vlen, int flags) {
        try {
            return (int) (long) RecvmmsgFastH.H.invokeExact((long) fd, a(vec), (long) vlen, (long) flags, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** recvmsg without errno capture (used with MSG_ERRQUEUE for TX timestamps). */
    public static long recvmsgFast(int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RecvmsgFastH.H.invokeExact((long) fd, a(msghdr), (long) flags, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** sendmmsg without errno capture; see {@link #recvmmsgFast}. */
    public static int sendmmsgFast(int fd, MemorySegment vec, int vlen, int flags) {
        try {
            return (int) (long) SendmmsgFastH.H.invokeExact((long) fd, a(vec), (long) vlen, (long) flags, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The calling thread's errno variable (glibc {@code __errno_location()}); valid only on that thread. */
    public static MemorySegment errnoLocation() {
        try {
            return MemorySegment.ofAddress((long) ErrnoLocationH.H.invokeExact(0L, 0L, 0L, 0L, 0L)).reinterpret(4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reads an errno variable obtained with {@link #errnoLocation()} on the same thread. */
    public static int lastErrno(MemorySegment errnoLocation) {
        return errnoLocation.get(ValueLayout.JAVA_INT, 0);
    }

    public static int fcntl(MemorySegment cs, int fd, int cmd, int arg) {
        try {
            return (int) (long) FcntlH.H.invokeExact(cs, (long) fd, (long) cmd, (long) arg, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Interface index of {@code name}, or 0 if there is none. */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) (long) IfNametoindexH.H.invokeExact(a(arena.allocateFrom(name)), 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** CLOCK_REALTIME in ns since the Unix epoch; {@code timespec} is a caller-owned 16-byte segment. */
    public static long clockRealtimeNanos(MemorySegment timespec) {
        try {
            int rc = (int) ClockGettimeH.H.invokeExact(CLOCK_REALTIME, timespec);
            if (rc != 0) throw new IllegalStateException("clock_gettime failed");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8);
    }

    /** "EADDRINUSE (Address already in use)" style text for an errno value. */
    public static String describe(int errno) {
        String name = switch (errno) {
            case EPERM -> "EPERM";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case EACCES -> "EACCES";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case EMSGSIZE -> "EMSGSIZE";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETUNREACH -> "ENETUNREACH";
            case ECONNREFUSED -> "ECONNREFUSED";
            default -> "errno " + errno;
        };
        return name + " (" + strerror(errno) + ")";
    }

    public static String strerror(int errno) {
        try {
            MemorySegment p = MemorySegment.ofAddress((long) StrerrorH.H.invokeExact((long) errno, 0L, 0L, 0L, 0L));
            return p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
