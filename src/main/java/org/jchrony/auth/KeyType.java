package org.jchrony.auth;

import java.util.Optional;

/**
 * Key types of a chrony keyfile, with the numbers chronyd 4.3 reports for them in
 * {@code chronyc authdata} ("Type" column; observed: MD5 1, SHA1 2, SHA256 3, SHA512 5,
 * SHA3-256 7, AES128 13, AES256 14). Type names are case-sensitive, as chronyd reads them.
 * TIGER and WHIRLPOOL are known names that chronyd's GnuTLS build does not support.
 */
public enum KeyType {
    MD5("MD5", 1, 16, 0),
    SHA1("SHA1", 2, 20, 0),
    SHA256("SHA256", 3, 32, 0),
    SHA384("SHA384", 4, 48, 0),
    SHA512("SHA512", 5, 64, 0),
    SHA3_224("SHA3-224", 6, 28, 0),
    SHA3_256("SHA3-256", 7, 32, 0),
    SHA3_384("SHA3-384", 8, 48, 0),
    SHA3_512("SHA3-512", 9, 64, 0),
    AES128("AES128", 13, 16, 16),
    AES256("AES256", 14, 16, 32);

    /** Keys shorter than this draw chronyd's "Key N is too short" warning when a source uses them. */
    public static final int MIN_SECURE_KEY_BYTES = 10;

    private final String chronyName;
    private final int authDataCode;
    private final int macLengthBytes;
    private final int requiredKeyBytes;

    KeyType(String chronyName, int authDataCode, int macLengthBytes, int requiredKeyBytes) {
        this.chronyName = chronyName;
        this.authDataCode = authDataCode;
        this.macLengthBytes = macLengthBytes;
        this.requiredKeyBytes = requiredKeyBytes;
    }

    /** The name as written in the keyfile (MD5, SHA3-256, AES128, ...). */
    public String chronyName() { return chronyName; }

    /** The key type number chronyd puts in the authdata report. */
    public int authDataCode() { return authDataCode; }

    /** Length of the untruncated MAC (digest or CMAC) in bytes. */
    public int macLengthBytes() { return macLengthBytes; }

    /** Exact key length for a CMAC cipher, 0 for hash types (any non-empty key). */
    public int requiredKeyBytes() { return requiredKeyBytes; }

    public boolean isCmac() { return requiredKeyBytes != 0; }

    /**
     * Whether chronyd would rather send NTPv3 requests with this key when no {@code version} is
     * configured: its MAC (key id + digest) would not fit the 24-byte NTPv4 limit untruncated.
     */
    public boolean prefersNtpV3() { return 4 + macLengthBytes > 24; }

    /** The type with this exact (case-sensitive) keyfile name. */
    public static Optional<KeyType> ofChronyName(String name) {
        for (KeyType t : values()) if (t.chronyName.equals(name)) return Optional.of(t);
        return Optional.empty();
    }

    /** Hash names chronyd knows but this build (like Debian's GnuTLS chronyd) cannot compute. */
    static boolean isKnownUnsupported(String name) {
        return name.equals("TIGER") || name.equals("WHIRLPOOL");
    }
}
