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
        Path own = dir.resolve("chronyc." + ProcessHandle.current().pid() + ".sock");
        UnixDatagramSocket s = UnixDatagramSocket.open();
        try {
            s.bind(own);
            s.chmod(0666);
            s.connect(daemonPath);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        this.socket = s;
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
    public void close() { socket.close(); }
}
