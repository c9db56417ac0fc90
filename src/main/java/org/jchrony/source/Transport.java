package org.jchrony.source;

/**
 * Sends a request to a source. The daemon backs this with an FFM socket (kernel TX timestamps
 * where available); the simulator with its network. Called on the core thread.
 */
@FunctionalInterface
public interface Transport {
    /**
     * Sends {@code len} bytes of {@code pkt} to {@code dst}; returns the raw clock time the packet
     * left (a kernel/hardware TX timestamp if available, else the raw time just before sending).
     */
    long send(byte[] pkt, int len, SourceAddress dst);
}
