package org.jchrony.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The target of an {@code allow}/{@code deny}/{@code cmdallow}/{@code cmddeny} directive, as
 * chronyd reads it: no argument means every IPv4 and IPv6 address; a literal address with an
 * optional {@code /bits}; a shortened IPv4 network of 1–3 numbers ({@code 1.2.3} is
 * {@code 1.2.3.0/24}); or a host name (kept unresolved: the daemon resolves it once at start,
 * chronyd uses its first address with a full-length prefix).
 *
 * @param address the network address, empty for "any" and for host names
 * @param prefixLength the number of significant bits (0 for "any" and for host names, which
 *     mean their one resolved address: see {@link #resolvedTo(IpAddress)})
 * @param hostname the name to resolve, empty unless this is a host name
 */
public record Subnet(Optional<IpAddress> address, int prefixLength, Optional<String> hostname) {
    public Subnet {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hostname, "hostname");
        if (address.isPresent() && hostname.isPresent()) {
            throw new IllegalArgumentException("a subnet is an address or a host name, not both");
        }
        if (address.isPresent() && (prefixLength < 0 || prefixLength > address.get().bitLength())) {
            throw new IllegalArgumentException("bad prefix length " + prefixLength + " for " + address.get());
        }
        if (address.isEmpty() && hostname.isEmpty() && prefixLength != 0) {
            throw new IllegalArgumentException("\"any\" has prefix length 0");
        }
    }

    /** Every IPv4 and IPv6 address ({@code allow} with no argument). */
    public static Subnet any() {
        return new Subnet(Optional.empty(), 0, Optional.empty());
    }

    public static Subnet of(IpAddress address, int prefixLength) {
        return new Subnet(Optional.of(address), prefixLength, Optional.empty());
    }

    public static Subnet ofHostname(String hostname) {
        return new Subnet(Optional.empty(), 0, Optional.of(hostname));
    }

    public boolean isAny() {
        return address.isEmpty() && hostname.isEmpty();
    }

    public boolean isHostname() {
        return hostname.isPresent();
    }

    /**
     * Whether {@code ip} is inside this subnet. "Any" contains every address; a host name
     * contains nothing until resolved (see {@link #resolvedTo(IpAddress)}).
     */
    public boolean contains(IpAddress ip) {
        if (isAny()) {
            return true;
        }
        return address.map(a -> a.sharesPrefix(ip, prefixLength)).orElse(false);
    }

    /** This host-name subnet as the single address it resolved to (full-length prefix). */
    public Subnet resolvedTo(IpAddress ip) {
        return of(ip, ip.bitLength());
    }

    /** chrony.conf form: "" for any, {@code a.b.c.d/bits}, or the host name. */
    @Override
    public String toString() {
        if (hostname.isPresent()) {
            return hostname.get();
        }
        return address.map(a -> a + "/" + prefixLength).orElse("");
    }
}
