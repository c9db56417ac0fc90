package org.jchrony.net;

import java.net.BindException;
import java.net.InetAddress;

/**
 * bind() failed: names the address, the port and the reason, like chronyd's
 * "Could not bind NTP socket to 0.0.0.0:123 : Address already in use". Typical errno values
 * are {@link Libc#EADDRINUSE} (another server has the port) and {@link Libc#EADDRNOTAVAIL}
 * (no interface has that address), {@link Libc#EACCES} (privileged port).
 */
public final class SocketBindException extends BindException {
    private final transient InetAddress address;
    private final int port;
    private final int errno;

    public SocketBindException(InetAddress address, int port, int errno) {
        super("Could not bind UDP socket to " + format(address, port) + ": " + Libc.describe(errno));
        this.address = address;
        this.port = port;
        this.errno = errno;
    }

    static String format(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public InetAddress address() { return address; }

    public int port() { return port; }

    public int errno() { return errno; }
}
