package org.jchrony.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Symmetric keys (chrony.keys) and chronyd's legacy NTP MACs: for hash types the MAC is
 * {@code H(key || packet)} (MD5, SHA1, SHA256, SHA384, SHA512, SHA3-224/256/384/512), for AES128 /
 * AES256 it is AES-CMAC (RFC 4493) of the packet, 16 bytes. Digests longer than allowed are
 * truncated: 20 bytes in NTPv4 packets, 64 otherwise; chronyd accepts a received MAC only if its
 * length equals that truncated length exactly. TIGER and RIPEMD types (nettle-only in chronyd)
 * are not supported.
 * <p>Methods are synchronized (digest and cipher instances are reused, nothing is allocated per
 * packet); share one table or give each server thread its own.
 */
public final class KeyTable implements SymmetricKeys {
    private static final int MAX_HASH_LENGTH = 64;

    private sealed interface Key permits HashKey, CmacKey {}

    private record HashKey(byte[] value, MessageDigest digest) implements Key {}

    private record CmacKey(org.jchrony.ntp.AesCmac cmac) implements Key {}

    private final Map<Long, Key> keys = new HashMap<>();
    private final byte[] scratch = new byte[MAX_HASH_LENGTH];

    /**
     * Adds (or replaces) key {@code id}.
     *
     * @param type chrony.keys type name (MD5, SHA1, ..., AES128, AES256), case-insensitive
     * @throws IllegalArgumentException for an unsupported type or a CMAC key of the wrong length
     */
    public synchronized void add(long id, String type, byte[] key) {
        String t = type.toUpperCase(Locale.ROOT);
        try {
            switch (t) {
                case "AES128", "AES256" -> {
                    int expected = t.equals("AES128") ? 16 : 32;
                    if (key.length != expected) {
                        throw new IllegalArgumentException("Invalid length of " + t + " key " + id + " (expected " + expected * 8 + " bits)");
                    }
                    keys.put(id, new CmacKey(new org.jchrony.ntp.AesCmac(key)));
                }
                default -> {
                    if (key.length == 0) throw new IllegalArgumentException("empty key " + id);
                    keys.put(id, new HashKey(key.clone(), MessageDigest.getInstance(javaName(t))));
                }
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("Unsupported hash function in key " + id + ": " + type, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Unusable key " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds a key from one chrony.keys line ({@code ID [TYPE] [ASCII:|HEX:]KEY}; type MD5 by
     * default; comments and blank lines ignored). Returns false when the line holds no key.
     */
    public boolean addLine(String line) {
        String l = line.strip();
        int hash = l.indexOf('#');
        if (hash >= 0) l = l.substring(0, hash).strip();
        if (l.isEmpty() || l.startsWith("!") || l.startsWith(";") || l.startsWith("%")) return false;
        String[] w = l.split("\\s+");
        if (w.length < 2 || w.length > 3) throw new IllegalArgumentException("Could not parse key: " + line);
        long id = Long.parseLong(w[0]);
        if (id < 0 || id > 0xffff_ffffL) throw new IllegalArgumentException("key id out of range: " + id);
        String type = w.length == 3 ? w[1] : "MD5";
        add(id, type, decode(w[w.length - 1]));
        return true;
    }

    /** Decodes a chrony.keys key value: {@code HEX:...}, {@code ASCII:...} or plain ASCII. */
    public static byte[] decode(String value) {
        if (value.startsWith("HEX:")) return HexFormat.of().parseHex(value.substring(4));
        if (value.startsWith("ASCII:")) value = value.substring(6);
        return value.getBytes(StandardCharsets.ISO_8859_1);
    }

    public synchronized boolean contains(long id) {
        return keys.containsKey(id);
    }

    private static String javaName(String t) {
        return switch (t) {
            case "MD5" -> "MD5";
            case "SHA1" -> "SHA-1";
            case "SHA256" -> "SHA-256";
            case "SHA384" -> "SHA-384";
            case "SHA512" -> "SHA-512";
            case "SHA3-224" -> "SHA3-224";
            case "SHA3-256" -> "SHA3-256";
            case "SHA3-384" -> "SHA3-384";
            case "SHA3-512" -> "SHA3-512";
            default -> "unsupported:" + t;
        };
    }

    /** Full MAC of data[0, length) into scratch; returns its length, or 0. */
    private int generate(Key key, byte[] data, int length) {
        try {
            return switch (key) {
                case HashKey h -> {
                    h.digest().reset();
                    h.digest().update(h.value());
                    h.digest().update(data, 0, length);
                    yield h.digest().digest(scratch, 0, scratch.length);
                }
                case CmacKey c -> c.cmac().macInto(data, 0, length, scratch, 0);
            };
        } catch (GeneralSecurityException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public synchronized boolean verify(long keyId, byte[] packet, int macStart, int macLength, int truncatedDigestLength) {
        Key key = keys.get(keyId);
        if (key == null) return false;
        int n = generate(key, packet, macStart);
        int authLength = macLength - 4;
        if (n == 0 || Math.min(n, truncatedDigestLength) != authLength) return false;
        int diff = 0;
        for (int i = 0; i < authLength; i++) diff |= scratch[i] ^ packet[macStart + 4 + i];
        return diff == 0;
    }

    @Override
    public synchronized int sign(long keyId, int version, byte[] packet, int length) {
        Key key = keys.get(keyId);
        if (key == null) return -1;
        int n = generate(key, packet, length);
        int max = version == 4 ? 20 : MAX_HASH_LENGTH;
        n = Math.min(n, max);
        if (n < 16 || length + 4 + n > packet.length) return -1;
        packet[length] = (byte) (keyId >>> 24);
        packet[length + 1] = (byte) (keyId >>> 16);
        packet[length + 2] = (byte) (keyId >>> 8);
        packet[length + 3] = (byte) keyId;
        System.arraycopy(scratch, 0, packet, length + 4, n);
        return length + 4 + n;
    }
}
