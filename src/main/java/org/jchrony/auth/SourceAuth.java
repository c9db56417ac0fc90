package org.jchrony.auth;

import java.util.Objects;

/**
 * Symmetric-key authentication of one NTP source ({@code key ID} on a server/peer/pool line).
 *
 * @param keyId           the key (0 = no authentication, as chronyd treats key 0 on a source)
 * @param keys            where the key is looked up at each request/response (a {@link KeyRing},
 *                        so rekey applies at once)
 * @param versionExplicit whether {@code version} was given on the line; if not, chronyd sends
 *                        NTPv3 when the key's MAC would be truncated in NTPv4 (hashes longer than
 *                        20 bytes: SHA256 and up, SHA3-*)
 */
public record SourceAuth(long keyId, AuthKeys keys, boolean versionExplicit) {
    public static final SourceAuth NONE = new SourceAuth(0, null, false);

    public SourceAuth {
        if (keyId < 0 || keyId > 0xffff_ffffL) throw new IllegalArgumentException("key id out of range: " + keyId);
        if (keyId != 0) Objects.requireNonNull(keys, "keys");
    }

    /** Key {@code keyId} looked up in {@code keys}; {@link #NONE} for key id 0. */
    public static SourceAuth of(long keyId, AuthKeys keys, boolean versionExplicit) {
        return keyId == 0 ? NONE : new SourceAuth(keyId, keys, versionExplicit);
    }

    public boolean enabled() { return keyId != 0; }
}
