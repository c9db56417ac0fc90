package org.jchrony.ntp;

import java.util.Arrays;

/**
 * A legacy symmetric-key MAC (RFC 5905 section 7.3): 32-bit key identifier then the digest
 * (16 bytes for MD5, 20 for SHA1; chronyd allows up to 64 in NTPv3 and truncates to 20 in
 * NTPv4). A key id of 0 with no digest is a crypto-NAK.
 */
public record Mac(long keyId, byte[] digest) {
    public static final int MIN_LENGTH = 4 + 16;
    /** Longest MAC RFC 7822 allows in an NTPv4 packet (4 + 20). */
    public static final int MAX_V4_LENGTH = 4 + 20;
    /** Longest MAC chronyd accepts at all (4 + 64, SHA-512 / SHA3-512). */
    public static final int MAX_LENGTH = 4 + 64;

    public Mac {
        if (keyId < 0 || keyId > 0xffff_ffffL) throw new IllegalArgumentException("key id out of range: " + keyId);
        if (digest.length % 4 != 0) throw new IllegalArgumentException("digest length not a multiple of 4: " + digest.length);
        digest = digest.clone();
    }

    /** The 4-byte crypto-NAK (key id 0, no digest). */
    public static Mac cryptoNak() {
        return new Mac(0, new byte[0]);
    }

    public boolean isCryptoNak() {
        return keyId == 0 && digest.length == 0;
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    public int length() {
        return 4 + digest.length;
    }

    public int encode(byte[] buf, int offset) {
        NtpPacket.putInt(buf, offset, (int) keyId);
        System.arraycopy(digest, 0, buf, offset + 4, digest.length);
        return length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mac m && m.keyId == keyId && Arrays.equals(m.digest, digest);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(keyId) * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Mac[keyId=" + keyId + ", digest=" + digest.length + "B]";
    }
}
