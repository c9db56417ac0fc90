package org.jchrony.cmdmon;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.jchrony.net.UnixDatagramSocket;
import org.jchrony.server.DatagramHandler;
import org.jchrony.server.PeerAddress;

/**
 * Serves a {@link CommandHandler} for tests: over UDP on 127.0.0.1 (a java DatagramSocket loop)
 * and over a Unix datagram socket (our FFM socket), each on its own thread.
 */
public final class TestCommandServer implements AutoCloseable {
    private final DatagramHandler handler;
    private final DatagramSocket udp;
    private final UnixDatagramSocket unix;
    private final Thread udpThread;
    private final Thread unixThread;
    private volatile boolean running = true;
    private final Object lock = new Object();

    public TestCommandServer(DatagramHandler handler, Path unixPath) throws IOException {
        this.handler = handler;
        this.udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.unix = UnixDatagramSocket.open();
        unix.bind(unixPath);
        unix.chmod(0666);
        udpThread = Thread.ofPlatform().daemon().name("test-cmd-udp").start(this::udpLoop);
        unixThread = Thread.ofPlatform().daemon().name("test-cmd-unix").start(this::unixLoop);
    }

    public int udpPort() { return udp.getLocalPort(); }

    public Path unixPath() { return unix.boundPath(); }

    private void udpLoop() {
        byte[] in = new byte[2048];
        byte[] out = new byte[2048];
        PeerAddress peer = new PeerAddress();
        while (running) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                if (!running) return;
                continue;
            }
            byte[] a = p.getAddress().getAddress();
            if (a.length == 4) {
                peer.setInet4((a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff), p.getPort());
            } else {
                peer.setInet6(a, 0, p.getPort());
            }
            int n;
            synchronized (lock) {
                n = handler.handle(in, p.getLength(), peer, System.currentTimeMillis() * 1_000_000L, out);
            }
            if (n > 0) {
                try {
                    udp.send(new DatagramPacket(out, n, p.getSocketAddress()));
                } catch (IOException e) {
                    // client gone
                }
            }
        }
    }

    private void unixLoop() {
        byte[] in = new byte[2048];
        byte[] out = new byte[2048];
        PeerAddress peer = new PeerAddress();
        peer.setUnix();
        while (running) {
            try {
                UnixDatagramSocket.Received r = unix.receive(in, 100);
                if (r == null) continue;
                int n;
                synchronized (lock) {
                    n = handler.handle(in, r.length(), peer, System.currentTimeMillis() * 1_000_000L, out);
                }
                if (n > 0 && !r.senderPath().isEmpty()) unix.sendTo(out, 0, n, r.senderPath());
            } catch (IOException e) {
                if (!running) return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        udp.close();
        try {
            udpThread.join(2000);
            unixThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unix.close();
    }
}
