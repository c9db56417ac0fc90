package org.jchrony.server;

/**
 * The NTS part of the NTP server (RFC 8915 section 5), as the {@link Responder} needs it: check
 * a client request carrying NTS extension fields, then either append the authenticated answer
 * (Unique Identifier, Authenticator and Encrypted Extension Fields with new cookies) or, for a
 * cookie or authenticator the server cannot use, the Unique Identifier of an NTS NAK (KoD
 * "NTSN"). Not thread-safe: one instance per responder; {@link #check} remembers the request for
 * the append call that follows it. Must not throw.
 */
public interface NtsRequests {
    int OK = 0;
    int NAK = 1;
    int DROP = 2;

    /** {@link #OK}, {@link #NAK} (answer with an NTS NAK) or {@link #DROP} (malformed: no answer). */
    int check(byte[] in, int inLength);

    /**
     * Appends the NTS fields of the answer to the last {@link #OK} request at {@code out[length]},
     * the whole reply at most {@code maxLength} bytes; returns the new length, or -1.
     */
    int appendReply(byte[] out, int length, int maxLength);

    /** Appends the Unique Identifier of the last checked request (for a NAK); returns the new length, or -1. */
    int appendNak(byte[] out, int length, int maxLength);
}
