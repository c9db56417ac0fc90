package org.jchrony.auth;

import java.util.Objects;

/**
 * Authentication of one NTP source: a symmetric key ({@code key ID} on a server/peer/pool line) or
 * NTS ({@code nts}, {@link #nts()}).
 *
 * @param keyId           the key (0 = no authentication, as chronyd treats key 0 on a source)
 * @param keys            where the key is looked up at each request/response (a {@link KeyRing},
 *                        so rekey applies at once)
 * @param versionExplicit whether {@code version} was given on the line; if not, chronyd sends
 *                        NTPv3 when the key's MAC would be truncated in NTPv4 (hashes longer than
 *                        20 bytes: SHA256 and up, SHA3-*)
 */
public record SourceAuth(long keyId, AuthKeys keys, boolean versionExplicit, NtsAuthenticator nts) {
    public static final SourceAuth NONE = new SourceAuth(0, null, false);

    public SourceAuth {
        if (keyId < 0 || keyId > 0xffff_ffffL) throw new IllegalArgumentException("key id out of range: " + keyId);
        if (keyId != 0) Objects.requireNonNull(keys, "keys");
        if (keyId != 0 && nts != null) throw new IllegalArgumentException("key and nts are exclusive");
    }

    /** Symmetric key (or none). */
    public SourceAuth(long keyId, AuthKeys keys, boolean versionExplicit) {
        this(keyId, keys, versionExplicit, null);
    }

    /** NTS ({@code nts} on a server line). */
    public static SourceAuth nts(NtsAuthenticator nts) {
        return new SourceAuth(0, null, false, Objects.requireNonNull(nts));
    }

    /** Whether the source uses NTS. */
    public boolean isNts() { return nts != null; }

    /** Key {@code keyId} looked up in {@code keys}; {@link #NONE} for key id 0. */
    public static SourceAuth of(long keyId, AuthKeys keys, boolean versionExplicit) {
        return keyId == 0 ? NONE : new SourceAuth(keyId, keys, versionExplicit);
    }

    public boolean enabled() { return keyId != 0; }
}
