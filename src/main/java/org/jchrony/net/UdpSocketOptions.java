package org.jchrony.net;

/**
 * Options for a jchrony UDP socket, matching chronyd's socket setup: {@code reusePort}
 * (SO_REUSEPORT, so several event loops share one port), {@code bindDevice} (chrony.conf
 * {@code binddevice}/{@code bindacqdevice}: SO_BINDTODEVICE, null for none), {@code dscp}
 * (chrony.conf {@code dscp}: 0-63 into IP_TOS/IPV6_TCLASS, 0 leaves the default) and
 * {@code receiveBufferBytes} (SO_RCVBUF, 0 leaves the kernel default).
 * Kernel RX timestamps and packet info are always enabled.
 */
public record UdpSocketOptions(boolean reusePort, String bindDevice, int dscp, int receiveBufferBytes) {
    public static final UdpSocketOptions DEFAULT = new UdpSocketOptions(false, null, 0, 0);

    public UdpSocketOptions {
        if (dscp < 0 || dscp > 63) throw new IllegalArgumentException("dscp must be 0-63: " + dscp);
        if (receiveBufferBytes < 0) throw new IllegalArgumentException("receiveBufferBytes < 0");
    }

    public UdpSocketOptions withReusePort(boolean on) {
        return new UdpSocketOptions(on, bindDevice, dscp, receiveBufferBytes);
    }
}
