package org.jchrony.source;

import java.net.InetAddress;
import java.util.Objects;

/** Address and UDP port of an upstream source. Equality by address bytes and port. */
public record SourceAddress(InetAddress address, int port) {
    public SourceAddress {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
    }

    /** The sender of a datagram as the socket layer reports it (copies the bytes). */
    public static SourceAddress fromPeer(org.jchrony.server.PeerAddress peer) {
        byte[] a = peer.family() == org.jchrony.server.PeerAddress.INET4
                ? java.util.Arrays.copyOf(peer.address(), 4) : peer.address().clone();
        try {
            return new SourceAddress(InetAddress.getByAddress(a), peer.port());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + a.length, e);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + ":" + port;
    }
}
