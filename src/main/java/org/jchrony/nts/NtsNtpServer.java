package org.jchrony.nts;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jchrony.auth.AesSiv;
import org.jchrony.ntp.ExtensionField;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.server.NtsRequests;

/**
 * The NTP server's NTS checks and answers (RFC 8915 section 5), as chronyd 4.3's server:
 * <ul>
 * <li>a request needs exactly one Unique Identifier (at least 32 bytes), exactly one Cookie and
 *     one NTS Authenticator and Encrypted Extension Fields field (nonce at least 16 bytes); any
 *     of these missing, repeated or malformed → no answer;</li>
 * <li>a cookie that is not ours (or whose server key was rotated out) or an authenticator that
 *     does not verify with the cookie's C2S key over the packet before it → NTS NAK (KoD NTSN
 *     with the Unique Identifier);</li>
 * <li>the answer carries the Unique Identifier and an authenticator encrypted with the S2C key
 *     holding one new cookie for the cookie and one per Cookie Placeholder of the cookie's length
 *     (at most {@value #MAX_COOKIES}, fewer if the reply would be longer than the request).</li>
 * </ul>
 * Not thread-safe: one per responder thread.
 */
public final class NtsNtpServer implements NtsRequests {
    public static final int MAX_COOKIES = 8;
    public static final int MIN_UID_LENGTH = 32;
    public static final int MIN_NONCE_LENGTH = 16;
    private static final int COOKIE_EF_LENGTH = 4 + NtsCookies.COOKIE_LENGTH;

    private final NtsCookies cookies;
    private final RandomGenerator random;

    private final byte[] uid = new byte[NtpPacket.HEADER_LENGTH + 1100];
    private int uidLength;
    private NtsCookies.SessionKeys session;
    private int cookieCount;

    private AesSiv siv;
    private long checked;
    private long authenticated;
    private long naks;
    private long dropped;

    public NtsNtpServer(NtsServerKeys keys, RandomGenerator random) {
        this.cookies = new NtsCookies(keys, random);
        this.random = random;
    }

    /** This thread's AES-SIV re-keyed to {@code key} (a new cipher per request costs more than the rest). */
    private AesSiv siv(byte[] key) {
        if (siv == null) siv = new AesSiv(key);
        else siv.rekey(key);
        return siv;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    @Override
    public int check(byte[] in, int inLength) {
        checked++;
        uidLength = 0;
        session = null;
        try {
            int r = checkRequest(in, inLength);
            if (r == OK) authenticated++;
            else if (r == NAK) naks++;
            else dropped++;
            return r;
        } catch (RuntimeException e) {
            dropped++;
            return DROP;
        }
    }

    private int checkRequest(byte[] in, int inLength) {
        int uidOff = -1;
        int cookieOff = -1;
        int cookieLen = 0;
        int authOff = -1;
        int authLen = 0;
        int[] placeholderLengths = new int[64];
        int placeholders = 0;
        int p = NtpPacket.HEADER_LENGTH;
        while (p + 4 <= inLength) {
            int type = u16(in, p);
            int len = u16(in, p + 2);
            if (len < ExtensionField.MIN_LENGTH || p + len > inLength) break; // a MAC follows (the responder drops those)
            if (authOff >= 0) {
                if (type == ExtensionField.TYPE_NTS_UNIQUE_IDENTIFIER || type == ExtensionField.TYPE_NTS_COOKIE
                        || type == ExtensionField.TYPE_NTS_COOKIE_PLACEHOLDER || type == ExtensionField.TYPE_NTS_AUTHENTICATOR) {
                    return DROP;
                }
            }
            switch (type) {
                case ExtensionField.TYPE_NTS_UNIQUE_IDENTIFIER -> {
                    if (uidOff >= 0 || len - 4 < MIN_UID_LENGTH) return DROP;
                    uidOff = p;
                }
                case ExtensionField.TYPE_NTS_COOKIE -> {
                    if (cookieOff >= 0) return DROP;
                    cookieOff = p + 4;
                    cookieLen = len - 4;
                }
                case ExtensionField.TYPE_NTS_COOKIE_PLACEHOLDER -> {
                    if (placeholders < placeholderLengths.length) placeholderLengths[placeholders++] = len - 4;
                }
                case ExtensionField.TYPE_NTS_AUTHENTICATOR -> {
                    authOff = p;
                    authLen = len;
                }
                default -> { }
            }
            p += len;
        }
        if (uidOff < 0 || cookieOff < 0 || authOff < 0) return DROP;
        int uidEfLength = u16(in, uidOff + 2);
        System.arraycopy(in, uidOff, uid, 0, uidEfLength);
        uidLength = uidEfLength;

        int nonceLen = u16(in, authOff + 4);
        int ctLen = u16(in, authOff + 6);
        int noncePadded = (nonceLen + 3) & ~3;
        int ctPadded = (ctLen + 3) & ~3;
        if (nonceLen < MIN_NONCE_LENGTH || ctLen < AesSiv.TAG_LENGTH || 8 + noncePadded + ctPadded > authLen) return DROP;

        Optional<NtsCookies.SessionKeys> keys = cookies.open(in, cookieOff, cookieLen);
        if (keys.isEmpty()) return NAK;
        byte[] nonce = Arrays.copyOfRange(in, authOff + 8, authOff + 8 + nonceLen);
        byte[] ct = Arrays.copyOfRange(in, authOff + 8 + noncePadded, authOff + 8 + noncePadded + ctLen);
        byte[] ad = Arrays.copyOfRange(in, 0, authOff);
        if (siv(keys.get().c2s()).decrypt(List.of(ad, nonce), ct).isEmpty()) return NAK;
        int n = 1;
        for (int i = 0; i < placeholders; i++) if (placeholderLengths[i] == cookieLen) n++;
        cookieCount = Math.min(MAX_COOKIES, n);
        session = keys.get();
        return OK;
    }

    @Override
    public int appendReply(byte[] out, int length, int maxLength) {
        try {
            if (session == null || uidLength == 0) return -1;
            int p = length;
            if (p + uidLength > out.length) return -1;
            System.arraycopy(uid, 0, out, p, uidLength);
            p += uidLength;
            int authStart = p;
            int n = cookieCount;
            int fixed = 8 + MIN_NONCE_LENGTH + AesSiv.TAG_LENGTH;
            while (n > 1 && authStart + fixed + n * COOKIE_EF_LENGTH > maxLength) n--;
            if (authStart + fixed + n * COOKIE_EF_LENGTH > Math.min(maxLength, out.length)) return -1;
            byte[] plain = new byte[n * COOKIE_EF_LENGTH];
            for (int i = 0; i < n; i++) {
                int q = i * COOKIE_EF_LENGTH;
                plain[q] = (byte) (ExtensionField.TYPE_NTS_COOKIE >>> 8);
                plain[q + 1] = (byte) ExtensionField.TYPE_NTS_COOKIE;
                plain[q + 2] = (byte) (COOKIE_EF_LENGTH >>> 8);
                plain[q + 3] = (byte) COOKIE_EF_LENGTH;
                byte[] c = cookies.make(session);
                System.arraycopy(c, 0, plain, q + 4, c.length);
            }
            byte[] nonce = new byte[MIN_NONCE_LENGTH];
            random.nextBytes(nonce);
            byte[] ad = Arrays.copyOfRange(out, 0, authStart);
            byte[] ct = siv(session.s2c()).encrypt(List.of(ad, nonce), plain);
            int efLength = 8 + MIN_NONCE_LENGTH + ct.length;
            out[p] = (byte) (ExtensionField.TYPE_NTS_AUTHENTICATOR >>> 8);
            out[p + 1] = (byte) ExtensionField.TYPE_NTS_AUTHENTICATOR;
            out[p + 2] = (byte) (efLength >>> 8);
            out[p + 3] = (byte) efLength;
            out[p + 4] = 0;
            out[p + 5] = (byte) MIN_NONCE_LENGTH;
            out[p + 6] = (byte) (ct.length >>> 8);
            out[p + 7] = (byte) ct.length;
            System.arraycopy(nonce, 0, out, p + 8, MIN_NONCE_LENGTH);
            System.arraycopy(ct, 0, out, p + 8 + MIN_NONCE_LENGTH, ct.length);
            return p + efLength;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public int appendNak(byte[] out, int length, int maxLength) {
        if (uidLength == 0 || length + uidLength > Math.min(maxLength, out.length)) return -1;
        System.arraycopy(uid, 0, out, length, uidLength);
        return length + uidLength;
    }

    /** Requests checked, authenticated, answered with a NAK, dropped. */
    public long[] counters() {
        return new long[] {checked, authenticated, naks, dropped};
    }
}
