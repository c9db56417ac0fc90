package org.jchrony.source;

import java.net.InetAddress;
import java.util.Objects;

/** Address and UDP port of an upstream source. Equality by address bytes and port. */
public record SourceAddress(InetAddress address, int port) {
    public SourceAddress {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + ":" + port;
    }
}
