package org.jchrony.client;

import java.io.IOException;

/** One way of reaching chronyd's command port: a datagram out, a datagram back (or timeout). */
public sealed interface Transport extends AutoCloseable permits UdpTransport, UnixTransport {
    void send(byte[] request, int length) throws IOException;

    /** Receives into {@code buf}; returns the length, or -1 on timeout. */
    int receive(byte[] buf, int timeoutMillis) throws IOException;

    /** Human-readable daemon address. */
    String describe();

    @Override
    void close();
}
