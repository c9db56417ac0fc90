package org.jchrony.server;

/**
 * Optionally implemented by a {@link DatagramHandler} whose replies carry a transmit timestamp
 * (the NTP {@link Responder}): the socket layer, which sends a batch of replies with one system
 * call, asks after each {@link DatagramHandler#handle} whether that reply's transmit timestamp
 * may be rewritten, and if so rewrites it from one clock read taken immediately before the
 * batch leaves. chronyd reads its clock just before each sendmsg; without this, a reply's
 * transmit timestamp would also precede the rest of the batch's processing and the copies into
 * the socket buffers. Called on the handler's loop thread only.
 */
public interface TransmitStamping {

    /** Whether the reply the last {@link DatagramHandler#handle} call returned may be re-stamped. */
    boolean lastReplyRestampable();

    /**
     * Rewrites the transmit timestamp of such a reply, found at {@code buffer[offset, offset + length)},
     * for the system clock reading {@code realtimeNanos} (CLOCK_REALTIME, ns since the Unix epoch).
     */
    void restampTransmit(byte[] buffer, int offset, int length, long realtimeNanos);
}
