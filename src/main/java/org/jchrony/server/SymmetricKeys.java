package org.jchrony.server;

/**
 * Legacy symmetric-key authentication of NTP requests and responses (chrony.keys), as the
 * responder needs it. Implementations must not allocate per call (reuse MessageDigest/Mac
 * instances per thread) and must not throw.
 */
public interface SymmetricKeys {

    /**
     * Whether the MAC at {@code packet[macStart, macStart + macLength)} (key id + digest)
     * authenticates {@code packet[0, macStart)}. The digest compared is truncated to
     * {@code truncatedDigestLength} bytes (20 for NTPv4 MACs of at most 24 bytes, else 64) as
     * chronyd does. Unknown key ids return false (chronyd 4.3 then drops the request silently).
     */
    boolean verify(long keyId, byte[] packet, int macStart, int macLength, int truncatedDigestLength);

    /**
     * Appends a MAC with {@code keyId} over {@code packet[0, length)} at {@code packet[length]}
     * (truncated as for {@link #verify}, NTPv4 responses to 20 bytes of digest) and returns the
     * new length, or -1 if the key is unknown.
     */
    int sign(long keyId, int version, byte[] packet, int length);
}
