package org.jchrony.auth;

/**
 * NTS (RFC 8915) for one NTP source, as the source's poll and response code needs it; the
 * daemon implements it with an NTS-KE client and an {@code org.jchrony.nts.NtsClientSession}.
 * Called on the core thread only.
 */
public interface NtsAuthenticator {
    int OK = 0;
    int NAK = 1;
    int BAD = 2;

    /**
     * Whether a request can be sent now (keys and a cookie). If not, starts NTS-KE with the
     * source's {@code address} unless it is running or backing off, and calls {@code onReady}
     * (on the core thread) when it succeeds.
     */
    boolean prepare(java.net.InetAddress address, Runnable onReady);

    /** The address NTP requests go to: the NTS-KE server's NTPv4 Server record, else the source's. */
    default java.net.InetAddress ntpAddress(java.net.InetAddress sourceAddress) {
        return sourceAddress;
    }

    /** The port NTP requests go to (the NTS-KE server's Port record, 123 without one). */
    int ntpPort();

    /** Appends the NTS fields to the request header in {@code buf[0, length)}; the new length, or -1. */
    int appendRequest(byte[] buf, int length);

    /** {@link #OK} (authentic), {@link #NAK} (NTS NAK: new NTS-KE before the next request) or {@link #BAD}. */
    int checkResponse(byte[] buf, int off, int len);

    /**
     * An authenticator with the same settings and no session, for another member of a pool
     * (each server has its own keys and cookies).
     */
    default NtsAuthenticator forAnotherServer() {
        return this;
    }

    /** chronyc authdata fields. */
    Report report();

    /**
     * @param keyId            chronyd shows the number of the current NTS-KE session (1 after the first)
     * @param keAttempts       NTS-KE attempts since the last success
     * @param lastKeAgoSeconds seconds since the last successful NTS-KE, -1 if none
     */
    record Report(long keyId, int keAttempts, long lastKeAgoSeconds, int cookies, int cookieLength, int naks) {}
}
