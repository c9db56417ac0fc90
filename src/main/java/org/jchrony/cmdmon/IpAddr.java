package org.jchrony.cmdmon;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * candm's 20-byte IPAddr: 16 address bytes (IPv4 and reference IDs in the first 4), family
 * (0 unspecified, 1 IPv4, 2 IPv6, 3 ID) and a pad. The 16 bytes are kept as received so a
 * decoded packet re-encodes byte-exactly.
 */
public record IpAddr(int family, byte[] bytes) {
    public static final int UNSPEC = 0;
    public static final int INET4 = 1;
    public static final int INET6 = 2;
    public static final int ID = 3;
    public static final IpAddr UNSPECIFIED = new IpAddr(UNSPEC, new byte[16]);

    public IpAddr {
        if (bytes.length != 16) throw new IllegalArgumentException("16 address bytes expected");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    public static IpAddr inet4(int address) {
        byte[] b = new byte[16];
        b[0] = (byte) (address >>> 24);
        b[1] = (byte) (address >>> 16);
        b[2] = (byte) (address >>> 8);
        b[3] = (byte) address;
        return new IpAddr(INET4, b);
    }

    public static IpAddr id(int id) {
        IpAddr a = inet4(id);
        return new IpAddr(ID, a.bytes);
    }

    public static IpAddr inet6(byte[] address16) {
        return new IpAddr(INET6, address16);
    }

    public static IpAddr of(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 4) {
            return inet4((raw[0] & 0xff) << 24 | (raw[1] & 0xff) << 16 | (raw[2] & 0xff) << 8 | (raw[3] & 0xff));
        }
        return inet6(raw);
    }

    /** IPv4 address or reference ID as an int (first 4 bytes, big-endian). */
    public int inet4() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    public InetAddress toInetAddress() {
        try {
            return switch (family) {
                case INET4 -> InetAddress.getByAddress(Arrays.copyOf(bytes, 4));
                case INET6 -> InetAddress.getByAddress(bytes);
                default -> null;
            };
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** As chronyd prints an address: dotted quad, RFC 5952 IPv6, ID#nnnnnnnnnn, [UNSPEC]. */
    @Override
    public String toString() {
        return switch (family) {
            case UNSPEC -> "[UNSPEC]";
            case INET4 -> (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
            case INET6 -> ipv6ToString(bytes);
            case ID -> String.format("ID#%010d", inet4() & 0xffffffffL);
            default -> "[UNKNOWN]";
        };
    }

    /** inet_ntop-style IPv6 text (longest zero run of two or more groups compressed, IPv4-mapped dotted). */
    static String ipv6ToString(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) j++;
                if (j - i > bestLen) {
                    bestLen = j - i;
                    bestStart = i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) bestStart = -1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Parses a numeric IPv4/IPv6 address or "ID#n"; null if not numeric. */
    public static IpAddr parse(String text) {
        if (text.startsWith("ID#")) {
            try {
                return id((int) Long.parseLong(text.substring(3)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] p = text.split("\\.");
            int v = 0;
            for (String s : p) {
                int o = Integer.parseInt(s);
                if (o > 255) return null;
                v = v << 8 | o;
            }
            return inet4(v);
        }
        if (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+")) {
            try {
                InetAddress a = InetAddress.getByName(text);
                if (a instanceof Inet6Address) return inet6(a.getAddress());
                return of(a);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddr other && other.family == family && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() { return family * 31 + Arrays.hashCode(bytes); }

    public String hex() { return HexFormat.of().formatHex(bytes); }
}
