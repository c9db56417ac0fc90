package org.jchrony.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** chronyc over UDP: a connected socket to the daemon's cmdport. */
public final class UdpTransport implements Transport {
    private final DatagramSocket socket;
    private final InetSocketAddress daemon;

    public UdpTransport(InetAddress address, int port) throws IOException {
        this.daemon = new InetSocketAddress(address, port);
        this.socket = new DatagramSocket();
        socket.connect(daemon);
    }

    @Override
    public void send(byte[] request, int length) throws IOException {
        socket.send(new DatagramPacket(request, length));
    }

    @Override
    public int receive(byte[] buf, int timeoutMillis) throws IOException {
        socket.setSoTimeout(Math.max(1, timeoutMillis));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
            return p.getLength();
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (java.net.PortUnreachableException e) {
            throw new IOException("port unreachable", e);
        }
    }

    @Override
    public String describe() { return daemon.toString(); }

    @Override
    public void close() { socket.close(); }
}
