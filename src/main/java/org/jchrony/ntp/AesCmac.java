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
    private byte[] k1;
    private byte[] k2;
    private SecretKeySpec key;
    /** AES-CBC for long inputs (created on first use, re-initialised on rekey). */
    private Cipher chain;
    private byte[] scratch = new byte[1024];
    private static final int CBC_MIN_BLOCKS = 4;
    private final byte[] x = new byte[16];
    private final byte[] y = new byte[16];

    /** @throws IllegalArgumentException unless {@code key} is 16 or 32 bytes */
    public AesCmac(byte[] key) {
        if (key.length != 16 && key.length != 32) throw new IllegalArgumentException("AES-CMAC key must be 128 or 256 bits");
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            this.key = new SecretKeySpec(key, "AES");
            aes.init(Cipher.ENCRYPT_MODE, this.key);
            byte[] l = aes.doFinal(new byte[16]);
            k1 = dbl(l);
            k2 = dbl(k1);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /**
     * Switches this instance to another key of the same kind, reusing its cipher (cheaper than a
     * new instance; the NTS server changes keys per request).
     */
    public void rekey(byte[] key) {
        if (key.length != 16 && key.length != 32) throw new IllegalArgumentException("AES-CMAC key must be 128 or 256 bits");
        try {
            this.key = new SecretKeySpec(key, "AES");
            aes.init(Cipher.ENCRYPT_MODE, this.key);
            if (chain != null) chain.init(Cipher.ENCRYPT_MODE, this.key, new javax.crypto.spec.IvParameterSpec(new byte[16]));
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
            if (blocks - 1 >= CBC_MIN_BLOCKS) {
                // all but the last block in one AES-CBC pass (zero IV): its last output block is the chain value
                int n = (blocks - 1) * 16;
                if (chain == null) {
                    chain = Cipher.getInstance("AES/CBC/NoPadding");
                    chain.init(Cipher.ENCRYPT_MODE, key, new javax.crypto.spec.IvParameterSpec(new byte[16]));
                }
                if (scratch.length < n) scratch = new byte[Math.max(n, 2 * scratch.length)];
                chain.doFinal(data, off, n, scratch, 0);
                System.arraycopy(scratch, n - 16, x, 0, 16);
            } else {
                for (int b = 0; b < blocks - 1; b++) {
                    for (int i = 0; i < 16; i++) y[i] = (byte) (x[i] ^ data[off + b * 16 + i]);
                    aes.doFinal(y, 0, 16, x, 0);
                }
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
