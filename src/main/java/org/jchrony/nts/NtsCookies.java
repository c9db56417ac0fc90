package org.jchrony.nts;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jchrony.auth.AesSiv;

/**
 * The server's cookies in chronyd 4.3's format (RFC 8915 section 6 leaves it to the server), so
 * jchronyd and chronyd sharing {@code ntsdumpdir}/ntskeys open each other's cookies: the 32-bit id
 * of the server key, a 16-byte random nonce, then AEAD_AES_SIV_CMAC_256 under that key of the
 * client's C2S then S2C keys, with an empty associated-data string and the nonce as the SIV
 * nonce. {@value #COOKIE_LENGTH} bytes in all.
 *
 * <p>Not thread-safe (it caches one cipher per server key): one instance per thread, all
 * sharing the thread-safe {@link NtsServerKeys}.
 */
public final class NtsCookies {
    public static final int NONCE_LENGTH = 16;
    public static final int COOKIE_LENGTH = 4 + NONCE_LENGTH + AesSiv.TAG_LENGTH + 2 * AesSiv.KEY_LENGTH;

    /** The keys of one NTS association (client to server, server to client). */
    public record SessionKeys(byte[] c2s, byte[] s2c) {
        public SessionKeys {
            c2s = c2s.clone();
            s2c = s2c.clone();
        }

        @Override
        public byte[] c2s() {
            return c2s.clone();
        }

        @Override
        public byte[] s2c() {
            return s2c.clone();
        }
    }

    private static final byte[] NO_DATA = new byte[0];
    private final NtsServerKeys keys;
    private final RandomGenerator random;
    private final Map<Integer, Cached> ciphers = new HashMap<>();

    private record Cached(byte[] key, AesSiv siv) {}

    public NtsCookies(NtsServerKeys keys, RandomGenerator random) {
        this.keys = keys;
        this.random = random;
    }

    private AesSiv cipher(NtsServerKeys.Key k) {
        Cached c = ciphers.get(k.id());
        byte[] raw = k.key();
        if (c == null || !Arrays.equals(c.key, raw)) {
            if (ciphers.size() > 2 * NtsServerKeys.KEPT) ciphers.clear();
            c = new Cached(raw, new AesSiv(raw));
            ciphers.put(k.id(), c);
        }
        return c.siv;
    }

    /** A new cookie carrying {@code session}, under the current server key. */
    public byte[] make(SessionKeys session) {
        NtsServerKeys.Key k = keys.current();
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] plain = new byte[2 * AesSiv.KEY_LENGTH];
        System.arraycopy(session.c2s, 0, plain, 0, 32);
        System.arraycopy(session.s2c, 0, plain, 32, 32);
        byte[] sealed = cipher(k).encrypt(List.of(NO_DATA, nonce), plain);
        byte[] cookie = new byte[COOKIE_LENGTH];
        int id = k.id();
        cookie[0] = (byte) (id >>> 24);
        cookie[1] = (byte) (id >>> 16);
        cookie[2] = (byte) (id >>> 8);
        cookie[3] = (byte) id;
        System.arraycopy(nonce, 0, cookie, 4, NONCE_LENGTH);
        System.arraycopy(sealed, 0, cookie, 4 + NONCE_LENGTH, sealed.length);
        return cookie;
    }

    /** The session keys in {@code cookie[off, off + len)}, if it is one of ours under a key still kept. */
    public Optional<SessionKeys> open(byte[] cookie, int off, int len) {
        if (len != COOKIE_LENGTH) return Optional.empty();
        int id = (cookie[off] & 0xff) << 24 | (cookie[off + 1] & 0xff) << 16 | (cookie[off + 2] & 0xff) << 8 | (cookie[off + 3] & 0xff);
        Optional<NtsServerKeys.Key> k = keys.find(id);
        if (k.isEmpty()) return Optional.empty();
        byte[] nonce = Arrays.copyOfRange(cookie, off + 4, off + 4 + NONCE_LENGTH);
        byte[] sealed = Arrays.copyOfRange(cookie, off + 4 + NONCE_LENGTH, off + len);
        return cipher(k.get()).decrypt(List.of(NO_DATA, nonce), sealed)
                .map(p -> new SessionKeys(Arrays.copyOfRange(p, 0, 32), Arrays.copyOfRange(p, 32, 64)));
    }
}
