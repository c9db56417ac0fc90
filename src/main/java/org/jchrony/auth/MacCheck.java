package org.jchrony.auth;

import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTrailer;

/**
 * Client-side legacy MAC handling for a source with a key, as chronyd 4.3 does it:
 * <ul>
 * <li>Requests: the 48-byte header followed by key id and digest (MD5 16 bytes, SHA1 20, longer
 *     hashes truncated to 20 in NTPv4, CMAC 16). With no configured {@code version}, a key whose
 *     digest is longer than 20 bytes makes the request NTPv3 so the full digest is sent (observed:
 *     SHA512 and SHA3-256 requests are NTPv3 with 64/32-byte digests; MD5, SHA1, AES are NTPv4).</li>
 * <li>Responses must carry a MAC with the same key id, of exactly the expected (truncated) length,
 *     that verifies; anything else (no MAC, crypto-NAK, other key id, wrong or truncated digest,
 *     malformed trailer) is dropped before the NTP tests: chronyd counts it in "Total RX" only, and
 *     its ntpdata stays as it was.</li>
 * </ul>
 */
public final class MacCheck {
    /** Room for the longest request: header + key id + 64-byte digest. */
    public static final int MAX_REQUEST_LENGTH = NtpPacket.HEADER_LENGTH + 4 + 64;

    /** Outcome of checking a response. */
    public enum Result {
        /** MAC with our key id, right length, verifies. */
        AUTHENTIC,
        /** No MAC at all. */
        NO_MAC,
        /** An NTPv4 crypto-NAK (4 zero bytes after the header). */
        CRYPTO_NAK,
        /** A MAC with another key id. */
        WRONG_KEY_ID,
        /** Our key id but the digest does not verify or has the wrong length (e.g. truncated). */
        BAD_MAC,
        /** The trailer is not a valid sequence of extension fields and MAC. */
        MALFORMED,
        /** Our key is not loaded (missing from the keyfile, or removed by rekey). */
        KEY_MISSING;

        public boolean ok() { return this == AUTHENTIC; }
    }

    private MacCheck() {}

    /** NTP version of requests: the configured one, or 3 where chronyd prefers it for this key. */
    public static int requestVersion(SourceAuth auth, int configuredVersion) {
        if (!auth.enabled() || auth.versionExplicit()) return configuredVersion;
        return auth.keys().info(auth.keyId()).map(i -> i.type().prefersNtpV3() ? 3 : configuredVersion)
                .orElse(configuredVersion);
    }

    /**
     * Appends the MAC to the request whose header is {@code buf[0, 48)} ({@code buf} at least
     * {@link #MAX_REQUEST_LENGTH} long); returns the total length, or -1 if the key is missing.
     */
    public static int signRequest(SourceAuth auth, byte[] buf, int version) {
        if (buf.length < MAX_REQUEST_LENGTH) throw new IllegalArgumentException("buffer too short");
        return auth.keys().sign(auth.keyId(), version, buf, NtpPacket.HEADER_LENGTH);
    }

    /** Checks the response in {@code packet[0, length)} against the source's key. Never throws. */
    public static Result checkResponse(SourceAuth auth, byte[] packet, int length) {
        if (auth.keys().info(auth.keyId()).isEmpty()) return Result.KEY_MISSING;
        long scan = NtpTrailer.scan(packet, length);
        if (scan == NtpTrailer.INVALID) return Result.MALFORMED;
        int flags = NtpTrailer.flags(scan);
        if ((flags & NtpTrailer.FLAG_CRYPTO_NAK) != 0) return Result.CRYPTO_NAK;
        if ((flags & (NtpTrailer.FLAG_MAC | NtpTrailer.FLAG_MSSNTP | NtpTrailer.FLAG_MSSNTP_EXT)) == 0) {
            return Result.NO_MAC;
        }
        int macStart = NtpTrailer.macStart(scan);
        int macLength = NtpTrailer.macLength(scan);
        if (macLength < 4) return Result.MALFORMED;
        long keyId = (packet[macStart] & 0xffL) << 24 | (packet[macStart + 1] & 0xffL) << 16
                | (packet[macStart + 2] & 0xffL) << 8 | (packet[macStart + 3] & 0xffL);
        if (keyId != auth.keyId()) return Result.WRONG_KEY_ID;
        int version = (packet[0] >>> 3) & 7;
        int truncated = version == 4 && macLength <= 24 ? 20 : 64;
        return auth.keys().verify(keyId, packet, macStart, macLength, truncated) ? Result.AUTHENTIC : Result.BAD_MAC;
    }
}
