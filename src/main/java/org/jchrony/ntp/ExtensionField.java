package org.jchrony.ntp;

import java.util.Arrays;

/**
 * One NTPv4 extension field (RFC 7822): 16-bit field type, 16-bit length (of the whole field,
 * header included, a multiple of 4 and at least 16), then the value. {@code value} holds every
 * byte after the 4-byte header, padding included, so re-encoding is byte-exact.
 */
public record ExtensionField(int fieldType, byte[] value) {
    /** Smallest field chronyd (and RFC 7822) accepts. */
    public static final int MIN_LENGTH = 16;
    /** Smallest last field of a packet without a MAC, so it cannot be mistaken for a MAC (RFC 7822). */
    public static final int MIN_LAST_LENGTH_WITHOUT_MAC = 28;

    public static final int TYPE_NTS_UNIQUE_IDENTIFIER = 0x0104;
    public static final int TYPE_NTS_COOKIE = 0x0204;
    public static final int TYPE_NTS_COOKIE_PLACEHOLDER = 0x0304;
    public static final int TYPE_NTS_AUTHENTICATOR = 0x0404;
    /** chronyd's experimental field (monotonic receive timestamp, root delay/dispersion). */
    public static final int TYPE_CHRONY_EXP1 = 0xF323;

    public ExtensionField {
        if (fieldType < 0 || fieldType > 0xffff) throw new IllegalArgumentException("field type out of range: " + fieldType);
        int length = 4 + value.length;
        if (length % 4 != 0 || length < MIN_LENGTH || length > 0xffff) {
            throw new IllegalArgumentException("extension field length must be a multiple of 4 in [16, 65535]: " + length);
        }
        value = value.clone();
    }

    /**
     * A field carrying {@code data}, zero-padded to a multiple of 4 and to the minimum length
     * ({@value #MIN_LAST_LENGTH_WITHOUT_MAC} when {@code lastWithoutMac}, else {@value #MIN_LENGTH}).
     */
    public static ExtensionField padded(int fieldType, byte[] data, boolean lastWithoutMac) {
        int min = lastWithoutMac ? MIN_LAST_LENGTH_WITHOUT_MAC : MIN_LENGTH;
        int length = Math.max(min, (4 + data.length + 3) & ~3);
        return new ExtensionField(fieldType, Arrays.copyOf(data, length - 4));
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Total encoded length, header included. */
    public int length() {
        return 4 + value.length;
    }

    public boolean isNts() {
        return fieldType == TYPE_NTS_UNIQUE_IDENTIFIER || fieldType == TYPE_NTS_COOKIE
                || fieldType == TYPE_NTS_COOKIE_PLACEHOLDER || fieldType == TYPE_NTS_AUTHENTICATOR;
    }

    public int encode(byte[] buf, int offset) {
        int length = length();
        buf[offset] = (byte) (fieldType >>> 8);
        buf[offset + 1] = (byte) fieldType;
        buf[offset + 2] = (byte) (length >>> 8);
        buf[offset + 3] = (byte) length;
        System.arraycopy(value, 0, buf, offset + 4, value.length);
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionField f && f.fieldType == fieldType && Arrays.equals(f.value, value);
    }

    @Override
    public int hashCode() {
        return fieldType * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ExtensionField[type=0x" + Integer.toHexString(fieldType) + ", length=" + length() + "]";
    }
}
