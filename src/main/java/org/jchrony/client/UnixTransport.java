package org.jchrony.client;

import java.io.IOException;
import java.nio.file.Path;
import org.jchrony.net.UnixDatagramSocket;

/**
 * chronyc over the daemon's Unix socket: binds its own reply socket next to the daemon's
 * ({@code <dir>/chronyc.<pid>.sock}, as chronyc does), removed on close.
 */
public final class UnixTransport implements Transport {
    private final UnixDatagramSocket socket;
    private final String daemonPath;

    public UnixTransport(Path daemonSocket) throws IOException {
        this.daemonPath = daemonSocket.toString();
        Path dir = daemonSocket.toAbsolutePath().getParent();
        Path own = reserve(dir);
        UnixDatagramSocket s = UnixDatagramSocket.open();
        try {
            s.bind(own);
            s.chmod(0666);
            s.connect(daemonPath);
        } catch (IOException e) {
            s.close();
            release(own);
            throw e;
        }
        this.socket = s;
        this.ownPath = own;
    }

    private static final java.util.Set<Path> IN_USE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Path ownPath;

    /** chronyc's name, chronyc.PID.sock; a second concurrent session in this JVM gets chronyc.PID.N.sock. */
    private static Path reserve(Path dir) {
        long pid = ProcessHandle.current().pid();
        for (int n = 0; ; n++) {
            Path p = dir.resolve(n == 0 ? "chronyc." + pid + ".sock" : "chronyc." + pid + "." + n + ".sock");
            if (IN_USE.add(p)) return p;
        }
    }

    private static void release(Path p) {
        IN_USE.remove(p);
    }

    @Override
    public void send(byte[] request, int length) throws IOException {
        socket.send(request, 0, length);
    }

    @Override
    public int receive(byte[] buf, int timeoutMillis) throws IOException {
        UnixDatagramSocket.Received r = socket.receive(buf, Math.max(0, timeoutMillis));
        return r == null ? -1 : r.length();
    }

    @Override
    public String describe() { return daemonPath; }

    @Override
    public void close() {
        socket.close();
        release(ownPath);
    }
}
