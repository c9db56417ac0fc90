package org.jchrony.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * A literal IPv4 or IPv6 address, parsed without any name resolution with the rules of
 * glibc's {@code inet_pton} (which chronyd uses for addresses in its configuration):
 * IPv4 is exactly four decimal parts 0–255 without leading zeros; IPv6 is the RFC 4291
 * text form, optionally ending in a dotted IPv4 part, without a zone index.
 */
public final class IpAddress {
    /** Address family. */
    public enum Family { INET4, INET6 }

    private final byte[] octets;

    private IpAddress(byte[] octets) {
        this.octets = octets;
    }

    /** From 4 (IPv4) or 16 (IPv6) network-order bytes. */
    public static IpAddress ofBytes(byte[] octets) {
        if (octets.length != 4 && octets.length != 16) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes, not " + octets.length);
        }
        return new IpAddress(octets.clone());
    }

    /** Parses a literal address; empty for anything else (including host names). */
    public static Optional<IpAddress> parse(String text) {
        byte[] v4 = parseIpv4(text);
        if (v4 != null) {
            return Optional.of(new IpAddress(v4));
        }
        byte[] v6 = parseIpv6(text);
        return v6 == null ? Optional.empty() : Optional.of(new IpAddress(v6));
    }

    /**
     * The IPv4 numbers-and-dots forms of {@code inet_aton} (which getaddrinfo accepts for a
     * numeric host): 1 to 4 parts, each decimal, octal (leading 0) or hexadecimal (0x); the
     * last part fills the remaining bytes.
     */
    public static Optional<IpAddress> parseInetAton(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return Optional.empty();
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int radix = 10;
            if (p.length() > 1 && (p.startsWith("0x") || p.startsWith("0X"))) {
                radix = 16;
                p = p.substring(2);
            } else if (p.length() > 1 && p.startsWith("0")) {
                radix = 8;
                p = p.substring(1);
            }
            if (p.isEmpty() || p.length() > 11) {
                return Optional.empty();
            }
            long x = 0;
            for (int k = 0; k < p.length(); k++) {
                char ch = p.charAt(k);
                int d = ch < 128 ? Character.digit(ch, radix) : -1;
                if (d < 0) {
                    return Optional.empty();
                }
                x = x * radix + d;
            }
            v[i] = x;
        }
        long addr = 0;
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] > 255) {
                return Optional.empty();
            }
            addr |= v[i] << (24 - 8 * i);
        }
        long last = v[v.length - 1];
        int lastBits = 32 - 8 * (v.length - 1);
        if (last >= (1L << lastBits)) {
            return Optional.empty();
        }
        addr |= last;
        return Optional.of(new IpAddress(new byte[] {
            (byte) (addr >> 24), (byte) (addr >> 16), (byte) (addr >> 8), (byte) addr}));
    }

    public static IpAddress ipv4Loopback() {
        return new IpAddress(new byte[] {127, 0, 0, 1});
    }

    public static IpAddress ipv6Loopback() {
        byte[] b = new byte[16];
        b[15] = 1;
        return new IpAddress(b);
    }

    public Family family() {
        return octets.length == 4 ? Family.INET4 : Family.INET6;
    }

    /** Number of bits of the address: 32 or 128. */
    public int bitLength() {
        return octets.length * 8;
    }

    /** Network-order bytes (a copy). */
    public byte[] toBytes() {
        return octets.clone();
    }

    /** True if this address and {@code other} agree in their first {@code prefixLength} bits and family. */
    public boolean sharesPrefix(IpAddress other, int prefixLength) {
        if (other.octets.length != octets.length || prefixLength < 0 || prefixLength > bitLength()) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (octets[i] != other.octets[i]) {
                return false;
            }
        }
        int bits = prefixLength % 8;
        if (bits == 0) {
            return true;
        }
        int mask = (0xFF << (8 - bits)) & 0xFF;
        return (octets[full] & mask) == (other.octets[full] & mask);
    }

    /** The address with all bits after {@code prefixLength} cleared. */
    public IpAddress masked(int prefixLength) {
        byte[] b = octets.clone();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            b[i] = (byte) (b[i] & ((0xFF << (8 - keep)) & 0xFF));
        }
        return new IpAddress(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(octets, other.octets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets);
    }

    /** Dotted quad for IPv4, RFC 5952 compressed form for IPv6 (as {@code inet_ntop}). */
    @Override
    public String toString() {
        if (octets.length == 4) {
            return (octets[0] & 0xFF) + "." + (octets[1] & 0xFF) + "." + (octets[2] & 0xFF) + "." + (octets[3] & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((octets[2 * i] & 0xFF) << 8) | (octets[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private static byte[] parseIpv6(String s) {
        if (s.isEmpty() || s.indexOf(':') < 0) {
            return null;
        }
        byte[] tail4 = null;
        String text = s;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) > 0) {
            tail4 = parseIpv4(s.substring(lastColon + 1));
            if (tail4 == null) {
                return null;
            }
            text = s.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = text.indexOf("::");
        if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? text.substring(0, dbl) : text;
        String tail = dbl >= 0 ? text.substring(dbl + 2) : "";
        int[] hg = groups(head);
        int[] tg = groups(tail);
        if (hg == null || tg == null) {
            return null;
        }
        int total = hg.length + tg.length;
        if (dbl >= 0 ? total > 7 : total != 8) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(hg, 0, all, 0, hg.length);
        System.arraycopy(tg, 0, all, 8 - tg.length, tg.length);
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (all[i] >> 8);
            b[2 * i + 1] = (byte) all[i];
        }
        if (tail4 != null) {
            System.arraycopy(tail4, 0, b, 12, 4);
        }
        return b;
    }

    private static int[] groups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] g = part.split(":", -1);
        int[] out = new int[g.length];
        for (int i = 0; i < g.length; i++) {
            String h = g[i];
            if (h.isEmpty() || h.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < h.length(); k++) {
                int d = Character.digit(h.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = v;
        }
        return out;
    }
}
