package org.jchrony.source;

import org.jchrony.auth.MacCheck;

/**
 * Authentication state of one source, for {@code chronyc authdata} (the first four fields map
 * one-to-one to the report; chronyd sends "last KE ago" = -1 (0xFFFFFFFF, shown "-") and zero
 * KE attempts, NAKs and cookies for symmetric keys) and for diagnostics.
 *
 * @param mode                0 none, 1 symmetric key (chronyd's NTP_AUTH_SYMMETRIC)
 * @param keyId               configured key id (0 without a key)
 * @param keyType             chronyd's key type number (MD5 1, SHA1 2, ..., AES128 13, AES256 14), 0 if missing
 * @param keyLengthBits       key length in bits, 0 if missing
 * @param authenticatedRx     responses with a valid MAC of our key
 * @param rejectedRx          responses dropped by authentication (no MAC, crypto-NAK, wrong key, bad MAC)
 * @param cryptoNakRx         of those, crypto-NAKs
 * @param lastAuthenticatedRawNanos raw RX time of the last authenticated response (0 = none)
 * @param lastRejectedRawNanos raw RX time of the last rejected response (0 = none)
 * @param lastResult          outcome of the last check (null before any response)
 * @param nts                 NTS fields of chronyc authdata (null unless mode 2, NTS)
 */
public record AuthData(int mode, long keyId, int keyType, int keyLengthBits, long authenticatedRx, long rejectedRx,
                       long cryptoNakRx, long lastAuthenticatedRawNanos, long lastRejectedRawNanos,
                       MacCheck.Result lastResult, org.jchrony.auth.NtsAuthenticator.Report nts) {
    public static final int MODE_NONE = 0;
    public static final int MODE_SYMMETRIC = 1;
    public static final int MODE_NTS = 2;

    /** Without NTS fields. */
    public AuthData(int mode, long keyId, int keyType, int keyLengthBits, long authenticatedRx, long rejectedRx,
                    long cryptoNakRx, long lastAuthenticatedRawNanos, long lastRejectedRawNanos, MacCheck.Result lastResult) {
        this(mode, keyId, keyType, keyLengthBits, authenticatedRx, rejectedRx, cryptoNakRx, lastAuthenticatedRawNanos,
                lastRejectedRawNanos, lastResult, null);
    }
}
