package org.jchrony.ntp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CMAC (RFC 4493; NIST SP 800-38B) with a 128- or 256-bit key, 16-byte tag. The JDK has no
 * CMAC, so it is built on AES/ECB. Not thread-safe (one cipher instance, reused).
 */
public final class AesCmac {
    private final Cipher aes;
    private final byte[] k1;
    private final byte[] k2;
    private final byte[] x = new byte[16];
    private final byte[] y = new byte[16];

    /** @throws IllegalArgumentException unless {@code key} is 16 or 32 bytes */
    public AesCmac(byte[] key) {
        if (key.length != 16 && key.length != 32) throw new IllegalArgumentException("AES-CMAC key must be 128 or 256 bits");
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            byte[] l = aes.doFinal(new byte[16]);
            k1 = dbl(l);
            k2 = dbl(k1);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** Doubling in GF(2^128) (RFC 5297's dbl, RFC 4493's subkey step). */
    public static byte[] dbl(byte[] in) {
        byte[] out = new byte[16];
        int carry = 0;
        for (int i = 15; i >= 0; i--) {
            int b = in[i] & 0xff;
            out[i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if ((in[0] & 0x80) != 0) out[15] ^= (byte) 0x87;
        return out;
    }

    /** Tag of {@code data[off, off + len)}. */
    public byte[] mac(byte[] data, int off, int len) {
        byte[] tag = new byte[16];
        macInto(data, off, len, tag, 0);
        return tag;
    }

    /**
     * Tag of {@code data[off, off + len)} written to {@code out[outOff, outOff + 16)}; allocates
     * nothing (the NTP server signs replies with it). Not thread-safe: one instance per thread.
     *
     * @return the tag length, 16
     */
    public int macInto(byte[] data, int off, int len, byte[] out, int outOff) {
        try {
            java.util.Arrays.fill(x, (byte) 0);
            int blocks = Math.max(1, (len + 15) / 16);
            boolean complete = len > 0 && len % 16 == 0;
            for (int b = 0; b < blocks - 1; b++) {
                for (int i = 0; i < 16; i++) y[i] = (byte) (x[i] ^ data[off + b * 16 + i]);
                aes.doFinal(y, 0, 16, x, 0);
            }
            int start = (blocks - 1) * 16;
            byte[] k = complete ? k1 : k2;
            for (int i = 0; i < 16; i++) {
                int p = start + i;
                byte m = p < len ? data[off + p] : p == len ? (byte) 0x80 : 0;
                y[i] = (byte) (x[i] ^ m ^ k[i]);
            }
            aes.doFinal(y, 0, 16, out, outOff);
            return 16;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] mac(byte[] data) {
        return mac(data, 0, data.length);
    }
}
