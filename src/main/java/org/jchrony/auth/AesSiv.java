package org.jchrony.auth;

import org.jchrony.ntp.AesCmac;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_SIV_CMAC_256 (RFC 5297), the AEAD algorithm NTS uses (RFC 8915, algorithm id 15): a
 * 256-bit key split into a CMAC key (first half) and a CTR key (second half); the output is the
 * 16-byte synthetic IV followed by the ciphertext. Associated data is a list of strings (for
 * NTS: the packet up to the authenticator field, then the nonce as the last item). Deterministic
 * with no nonce. Not thread-safe.
 */
public final class AesSiv {
    public static final int KEY_LENGTH = 32;
    public static final int TAG_LENGTH = 16;
    /** RFC 8915 / IANA AEAD registry number of AEAD_AES_SIV_CMAC_256. */
    public static final int AEAD_ID = 15;

    private final AesCmac cmac;
    private final Cipher ctr;
    private SecretKeySpec ctrKey;

    /** @throws IllegalArgumentException unless {@code key} is 32 bytes */
    public AesSiv(byte[] key) {
        if (key.length != KEY_LENGTH) throw new IllegalArgumentException("AEAD_AES_SIV_CMAC_256 key must be 256 bits");
        cmac = new AesCmac(Arrays.copyOfRange(key, 0, 16));
        ctrKey = new SecretKeySpec(Arrays.copyOfRange(key, 16, 32), "AES");
        try {
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR unavailable", e);
        }
    }

    /** Switches to another 32-byte key, reusing the ciphers (the NTS server re-keys per request). */
    public void rekey(byte[] key) {
        if (key.length != KEY_LENGTH) throw new IllegalArgumentException("AEAD_AES_SIV_CMAC_256 key must be 256 bits");
        cmac.rekey(Arrays.copyOfRange(key, 0, 16));
        ctrKey = new SecretKeySpec(Arrays.copyOfRange(key, 16, 32), "AES");
    }

    /** S2V over the associated data items and the plaintext (RFC 5297 section 2.4). */
    private byte[] s2v(List<byte[]> associatedData, byte[] plaintext) {
        byte[] d = cmac.mac(new byte[16]);
        for (byte[] a : associatedData) {
            byte[] m = cmac.mac(a);
            d = AesCmac.dbl(d);
            for (int i = 0; i < 16; i++) d[i] ^= m[i];
        }
        byte[] t;
        if (plaintext.length >= 16) {
            t = plaintext.clone();
            int off = t.length - 16;
            for (int i = 0; i < 16; i++) t[off + i] ^= d[i];
        } else {
            t = AesCmac.dbl(d);
            for (int i = 0; i < plaintext.length; i++) t[i] ^= plaintext[i];
            t[plaintext.length] ^= (byte) 0x80;
        }
        return cmac.mac(t);
    }

    private byte[] ctr(byte[] v, byte[] in, int off, int len) {
        byte[] q = v.clone();
        q[8] &= 0x7f;
        q[12] &= 0x7f;
        try {
            ctr.init(Cipher.ENCRYPT_MODE, ctrKey, new IvParameterSpec(q));
            return ctr.doFinal(in, off, len);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIV || ciphertext of {@code plaintext} (RFC 5297 section 2.6). At most 126 associated data items. */
    public byte[] encrypt(List<byte[]> associatedData, byte[] plaintext) {
        if (associatedData.size() > 126) throw new IllegalArgumentException("too many associated data items");
        byte[] v = s2v(associatedData, plaintext);
        byte[] c = ctr(v, plaintext, 0, plaintext.length);
        byte[] out = Arrays.copyOf(v, TAG_LENGTH + c.length);
        System.arraycopy(c, 0, out, TAG_LENGTH, c.length);
        return out;
    }

    /** The plaintext if {@code sivAndCiphertext} authenticates with this key and associated data; empty otherwise. */
    public Optional<byte[]> decrypt(List<byte[]> associatedData, byte[] sivAndCiphertext) {
        if (sivAndCiphertext.length < TAG_LENGTH || associatedData.size() > 126) return Optional.empty();
        byte[] v = Arrays.copyOf(sivAndCiphertext, TAG_LENGTH);
        byte[] p = ctr(v, sivAndCiphertext, TAG_LENGTH, sivAndCiphertext.length - TAG_LENGTH);
        byte[] t = s2v(associatedData, p);
        return MessageDigest.isEqual(t, v) ? Optional.of(p) : Optional.empty();
    }
}
