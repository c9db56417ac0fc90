package org.jchrony.auth;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One key of a keyfile: id (1..2^32-1 in use; 0 is accepted in the file as chronyd accepts it),
 * type, value, and where it was read.
 */
public record SymmetricKey(long id, KeyType type, byte[] value, String file, int line) {
    public SymmetricKey {
        if (id < 0 || id > 0xffff_ffffL) throw new IllegalArgumentException("key id out of range: " + id);
        value = value.clone();
    }

    @Override
    public byte[] value() { return value.clone(); }

    public int lengthBits() { return value.length * 8; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SymmetricKey k && id == k.id && type == k.type && Arrays.equals(value, k.value);
    }

    @Override
    public int hashCode() { return Long.hashCode(id) * 31 + Arrays.hashCode(value); }

    /** Never prints the key material. */
    @Override
    public String toString() {
        return "SymmetricKey[" + id + " " + type.chronyName() + " " + lengthBits() + " bits, " + file + ":" + line + "]";
    }

    static String hex(byte[] b) { return HexFormat.of().formatHex(b); }
}
