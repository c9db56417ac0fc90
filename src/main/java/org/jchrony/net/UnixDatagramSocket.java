package org.jchrony.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A Unix-domain datagram socket (AF_UNIX, SOCK_DGRAM) through FFM, which the JDK lacks: what
 * chronyd's command socket and chronyc's reply socket are, and what sd_notify writes to.
 *
 * <p>Client use: {@link #bind(Path)} a private path, {@link #sendTo}, {@link #receive} with a
 * timeout (poll). Daemon use: {@link #bind(Path)}, {@link #chmod}, {@link #setNonBlocking()},
 * register {@link #fd()} on an epoll loop and, when readable, call {@code receive(buf, -1)}
 * until it returns null (EAGAIN); answer with {@link #sendTo} to {@link Received#senderPath()}.
 * Paths starting with '@' name the abstract namespace. Not thread-safe.
 */
public final class UnixDatagramSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;
    private static final short POLLIN = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int SUN_PATH = 108;
    private static final int SOCKADDR_UN = 110;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // Downcall stubs are generated on first use (each costs ~10-20 ms at start-up): holders.
    private static final class SocketH { static final MethodHandle H = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)); }
    private static final class BindH { static final MethodHandle H = fn("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)); }
    private static final class ConnectH { static final MethodHandle H = fn("connect", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)); }
    private static final class SendtoH { static final MethodHandle H = fn("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT)); }
    private static final class RecvfromH { static final MethodHandle H = fn("recvfrom", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS)); }
    private static final class PollH { static final MethodHandle H = fn("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)); }
    private static final class CloseH { static final MethodHandle H = fn("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)); }
    private static final class FcntlH { static final MethodHandle H = fn("fcntl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)); }
    private static final class ChmodH { static final MethodHandle H = fn("chmod", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT)); }
    private static final class StrerrorH { static final MethodHandle H = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT)); }

    private static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, Linker.Option.captureCallState("errno"));
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(CALL_STATE);
    private final MemorySegment addr = arena.allocate(SOCKADDR_UN);
    private final MemorySegment addrLen = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment pollFd = arena.allocate(8);
    private MemorySegment buffer = arena.allocate(2048);
    private final int fd;
    private Path boundPath;
    private boolean closed;

    private UnixDatagramSocket(int fd) {
        this.fd = fd;
    }

    /** socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC). */
    public static UnixDatagramSocket open() throws IOException {
        Arena a = Arena.ofConfined();
        try (a) {
            MemorySegment st = a.allocate(CALL_STATE);
            int fd = (int) SocketH.H.invokeExact(st, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw new IOException("socket(AF_UNIX): " + strerror((int) ERRNO.get(st, 0L)));
            return new UnixDatagramSocket(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** The file descriptor, for registering on an epoll loop. */
    public int fd() { return fd; }

    /** The path bound with {@link #bind}, or null. */
    public Path boundPath() { return boundPath; }

    /** Binds to a filesystem path, removing a stale socket file first (as chronyd does). */
    public void bind(Path path) throws IOException {
        String p = path.toString();
        if (!p.startsWith("@")) Files.deleteIfExists(path);
        int len = fillAddress(p);
        int r;
        try {
            r = (int) BindH.H.invokeExact(state, fd, addr, len);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (r < 0) throw new IOException("bind(" + p + "): " + strerror(errno()));
        boundPath = p.startsWith("@") ? null : path;
    }

    /** connect(2) to a path, so that {@link #send} needs no address. */
    public void connect(String path) throws IOException {
        int len = fillAddress(path);
        int r;
        try {
            r = (int) ConnectH.H.invokeExact(state, fd, addr, len);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (r < 0) throw new IOException("connect(" + path + "): " + strerror(errno()));
    }

    /** chmod(2) of the bound socket file (e.g. 0666 for a world-usable socket, chronyd uses 0666 in a 0770 dir). */
    public void chmod(int mode) throws IOException {
        if (boundPath == null) throw new IOException("not bound to a path");
        try (Arena a = Arena.ofConfined()) {
            int r = (int) ChmodH.H.invokeExact(state, a.allocateFrom(boundPath.toString()), mode);
            if (r < 0) throw new IOException("chmod(" + boundPath + "): " + strerror(errno()));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** O_NONBLOCK, for use from an event loop. */
    public void setNonBlocking() throws IOException {
        try {
            int flags = (int) FcntlH.H.invokeExact(state, fd, F_GETFL, 0);
            if (flags < 0 || (int) FcntlH.H.invokeExact(state, fd, F_SETFL, flags | O_NONBLOCK) < 0) {
                throw new IOException("fcntl: " + strerror(errno()));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** sendto(2) a datagram to a socket path ('@' prefix: abstract). */
    public void sendTo(byte[] data, int offset, int length, String path) throws IOException {
        int len = fillAddress(path);
        send0(data, offset, length, addr, len, path);
    }

    /** send on a connected socket. */
    public void send(byte[] data, int offset, int length) throws IOException {
        send0(data, offset, length, MemorySegment.NULL, 0, "connected peer");
    }

    private void send0(byte[] data, int offset, int length, MemorySegment to, int toLen, String what) throws IOException {
        ensureBuffer(length);
        MemorySegment.copy(data, offset, buffer, ValueLayout.JAVA_BYTE, 0, length);
        long r;
        try {
            r = (long) SendtoH.H.invokeExact(state, fd, buffer, (long) length, 0, to, toLen);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (r < 0) throw new IOException("sendto(" + what + "): " + strerror(errno()));
    }

    /**
     * Opens chronyd's command socket: checks the directory (see {@link #checkSocketDirectory}),
     * binds (removing a stale file), makes the socket usable by all (0666, as chronyd; the
     * directory's permissions are the access control) and non-blocking.
     *
     * @throws IOException with chronyd's reason when the directory is not acceptable
     */
    public static UnixDatagramSocket openDaemonSocket(Path path, String owner, String group) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        String problem = checkSocketDirectory(dir, owner, group);
        if (problem != null) throw new IOException(problem + "; command socket " + path + " disabled");
        UnixDatagramSocket s = open();
        try {
            s.bind(path);
            s.chmod(0666);
            s.setNonBlocking();
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * For the daemon's event loop when the socket is readable: receives every pending datagram,
     * passes it to {@code handler} with a Unix {@link org.jchrony.server.PeerAddress} and sends
     * the reply to the sender's path. Returns the number of datagrams handled. Send errors (client
     * gone) are ignored as chronyd does.
     */
    public int drain(org.jchrony.server.DatagramHandler handler, byte[] in, byte[] out,
                     java.util.function.LongSupplier realtimeNanos) throws IOException {
        org.jchrony.server.PeerAddress peer = new org.jchrony.server.PeerAddress();
        peer.setUnix();
        int handled = 0;
        while (true) {
            Received r = receive(in, -1);
            if (r == null) return handled;
            handled++;
            int n = handler.handle(in, r.length(), peer, realtimeNanos.getAsLong(), out);
            if (n > 0 && !r.senderPath().isEmpty()) {
                try {
                    sendTo(out, 0, n, r.senderPath());
                } catch (IOException e) {
                    // the client went away
                }
            }
        }
    }

    /** A received datagram: its length and the sender's path ("" when the sender is unbound). */
    public record Received(int length, String senderPath) {}

    /**
     * Receives one datagram into {@code dst}. timeoutMillis &lt; 0 blocks, 0 returns at once.
     * Returns null on timeout (or EAGAIN on a non-blocking socket).
     */
    public Received receive(byte[] dst, int timeoutMillis) throws IOException {
        if (timeoutMillis >= 0) {
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            int r;
            try {
                r = (int) PollH.H.invokeExact(state, pollFd, 1L, timeoutMillis);
            } catch (Throwable t) {
                throw new IOException(t);
            }
            if (r < 0) {
                if (errno() == EINTR) return null;
                throw new IOException("poll: " + strerror(errno()));
            }
            if (r == 0) return null;
        }
        ensureBuffer(dst.length);
        addrLen.set(ValueLayout.JAVA_INT, 0, SOCKADDR_UN);
        long n;
        try {
            n = (long) RecvfromH.H.invokeExact(state, fd, buffer, (long) dst.length, 0, addr, addrLen);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (n < 0) {
            int e = errno();
            if (e == EAGAIN || e == EINTR) return null;
            throw new IOException("recvfrom: " + strerror(e));
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, dst, 0, (int) n);
        return new Received((int) n, senderPath(addrLen.get(ValueLayout.JAVA_INT, 0)));
    }

    private String senderPath(int len) {
        int pathLen = len - 2;
        if (pathLen <= 0) return "";
        byte[] p = new byte[pathLen];
        MemorySegment.copy(addr, ValueLayout.JAVA_BYTE, 2, p, 0, pathLen);
        if (p[0] == 0) return "@" + new String(p, 1, pathLen - 1, StandardCharsets.UTF_8);
        int end = 0;
        while (end < pathLen && p[end] != 0) end++;
        return new String(p, 0, end, StandardCharsets.UTF_8);
    }

    private int fillAddress(String path) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.startsWith("@");
        if (p.length >= SUN_PATH) throw new IOException("socket path too long: " + path);
        addr.fill((byte) 0);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
        if (abstractName) {
            addr.set(ValueLayout.JAVA_BYTE, 2, (byte) 0);
            return 2 + p.length;
        }
        return 2 + p.length + 1;
    }

    private void ensureBuffer(int length) {
        if (buffer.byteSize() < length) buffer = arena.allocate(length);
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    private static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) StrerrorH.H.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Closes the socket and removes the socket file it was bound to. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            int r = (int) CloseH.H.invokeExact(state, fd);
            if (r < 0) { /* nothing useful to do */ }
        } catch (Throwable ignored) {
            // closing is best effort
        }
        if (boundPath != null) {
            try {
                Files.deleteIfExists(boundPath);
            } catch (IOException ignored) {
                // best effort, as chronyd's unlink on exit
            }
        }
        arena.close();
    }

    /**
     * chronyd's rule for the directory of its command socket: it must exist, be a directory
     * (symlinks followed, as stat(2)), have no permission bits outside 0770 (no access for
     * "others") and be owned by the daemon's user and group. chronyd refuses 0755 and accepts
     * 0700 or 0750. Returns null when acceptable, else chronyd's reason.
     *
     * @param expectedOwner user name the directory must belong to (null: not checked)
     * @param expectedGroup group name (null: not checked)
     */
    public static String checkSocketDirectory(Path dir, String expectedOwner, String expectedGroup) {
        try {
            if (!Files.exists(dir)) return "Could not access " + dir;
            if (!Files.isDirectory(dir)) return dir + " is not directory";
            PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class);
            Set<PosixFilePermission> perms = attrs.permissions();
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return "Wrong permissions on " + dir;
            }
            if (expectedOwner != null && !attrs.owner().getName().equals(expectedOwner)) {
                return "Wrong owner of " + dir + " (UID)";
            }
            if (expectedGroup != null && !attrs.group().getName().equals(expectedGroup)) {
                return "Wrong owner of " + dir + " (GID)";
            }
            return null;
        } catch (IOException e) {
            return "Could not access " + dir + " : " + e.getMessage();
        }
    }
}
