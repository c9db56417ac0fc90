package org.jchrony.discipline;

/**
 * What source selection needs to know about a source (implemented by the NTP source classes).
 * Its statistics object is owned by the source and re-based by the discipline after each
 * clock correction.
 */
public interface SelectableSource {
    /** Name as configured (hostname or address text). */
    String name();

    /** Reference id this host would announce when synchronised to the source (IPv4 address or hash). */
    int refId();

    /** The source's address, or null for a reference clock. */
    java.net.InetAddress address();

    SourceStats stats();

    /** 8-bit reachability register. */
    int reach();

    /** Whether the source is currently polled and answering (not offline/demobilised, reach != 0). */
    boolean reachable();

    boolean prefer();

    boolean noselect();

    boolean trust();

    boolean require();

    /** minstratum option (0 when unset). */
    int minStratum();
}
