package org.jchrony.server;

/**
 * What the socket layer ({@code net}) calls for each received datagram: the NTP responder,
 * the chronyc command handler and the upstream-response path all implement this. Called on
 * the socket's event loop thread; must not block and must not throw (drop and count instead).
 */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * @param in              received bytes, valid in {@code [0, inLength)}
     * @param peer            where it came from and which local address it arrived at (reused)
     * @param rxRealtimeNanos kernel receive timestamp (CLOCK_REALTIME, ns since the Unix epoch)
     * @param out             buffer for the reply (at least 1024 bytes)
     * @return the reply length written to {@code out}, or 0 to send nothing
     */
    int handle(byte[] in, int inLength, PeerAddress peer, long rxRealtimeNanos, byte[] out);
}
