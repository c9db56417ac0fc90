package org.jchrony.server;

import java.util.Arrays;

/**
 * The remote end of a datagram, and the local address it arrived at, as plain bytes.
 * Mutable and reused per socket so the packet path allocates nothing; copy it
 * ({@link #copyFrom}) if you need to keep it.
 */
public final class PeerAddress {
    public static final int UNIX = 1;
    public static final int INET4 = 4;
    public static final int INET6 = 6;

    private int family;
    private final byte[] address = new byte[16];
    private int port;
    private final byte[] localAddress = new byte[16];
    private int localIfIndex;

    /** {@link #INET4}, {@link #INET6} or {@link #UNIX}. */
    public int family() { return family; }

    /** Address bytes: 4 used for IPv4, 16 for IPv6, none for Unix. Do not modify. */
    public byte[] address() { return address; }

    public int port() { return port; }

    /** Address the datagram was sent to (IP_PKTINFO); replies leave from it. */
    public byte[] localAddress() { return localAddress; }

    public int localIfIndex() { return localIfIndex; }

    public void setInet4(int addressBigEndian, int port) {
        family = INET4;
        address[0] = (byte) (addressBigEndian >>> 24);
        address[1] = (byte) (addressBigEndian >>> 16);
        address[2] = (byte) (addressBigEndian >>> 8);
        address[3] = (byte) addressBigEndian;
        this.port = port;
    }

    public void setInet6(byte[] src, int offset, int port) {
        family = INET6;
        System.arraycopy(src, offset, address, 0, 16);
        this.port = port;
    }

    public void setUnix() {
        family = UNIX;
        port = 0;
    }

    public void setLocal(byte[] src, int offset, int length, int ifIndex) {
        System.arraycopy(src, offset, localAddress, 0, length);
        localIfIndex = ifIndex;
    }

    /** IPv4 address as an int (big-endian order), valid when family is INET4. */
    public int inet4() {
        return (address[0] & 0xff) << 24 | (address[1] & 0xff) << 16 | (address[2] & 0xff) << 8 | (address[3] & 0xff);
    }

    public boolean isLoopback() {
        if (family == INET4) return (address[0] & 0xff) == 127;
        if (family == INET6) {
            for (int i = 0; i < 15; i++) if (address[i] != 0) return false;
            return address[15] == 1;
        }
        return false;
    }

    public void copyFrom(PeerAddress other) {
        family = other.family;
        System.arraycopy(other.address, 0, address, 0, 16);
        port = other.port;
        System.arraycopy(other.localAddress, 0, localAddress, 0, 16);
        localIfIndex = other.localIfIndex;
    }

    @Override
    public String toString() {
        return switch (family) {
            case INET4 -> (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff) + ":" + port;
            case INET6 -> "[" + Arrays.toString(address) + "]:" + port;
            case UNIX -> "unix";
            default -> "none";
        };
    }
}
