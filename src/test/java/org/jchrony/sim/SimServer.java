package org.jchrony.sim;

import java.net.InetAddress;
import java.util.function.LongPredicate;
import org.jchrony.ntp.MalformedPacketException;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTimestamp;

/**
 * A simulated NTP server: its clock is true time plus a constant error (a falseticker has a
 * large one) plus a frequency error; it answers client requests with real NTP packets, like a
 * stratum-1/2 server, and can be down at times ({@code up} predicate over true time) or send
 * kiss-o'-death codes.
 */
public final class SimServer {
    final InetAddress address;
    final double errorSeconds;
    final double freqErrorPpm;
    final int stratum;
    final double rootDelaySeconds;
    final double rootDispersionSeconds;
    final LongPredicate up;
    final double processingSeconds;
    volatile String kiss; // null, "RATE", "DENY", "RSTR"
    int leap;
    long requests;

    public SimServer(InetAddress address, double errorSeconds, double freqErrorPpm, int stratum, LongPredicate up) {
        this.address = address;
        this.errorSeconds = errorSeconds;
        this.freqErrorPpm = freqErrorPpm;
        this.stratum = stratum;
        this.rootDelaySeconds = stratum == 1 ? 0 : 0.002;
        this.rootDispersionSeconds = stratum == 1 ? 0.0001 : 0.001;
        this.up = up;
        this.processingSeconds = 20e-6;
    }

    long clockNanos(long trueNanos, long startNanos) {
        double err = errorSeconds + freqErrorPpm * 1e-6 * (trueNanos - startNanos) * 1e-9;
        return trueNanos + Math.round(err * 1e9);
    }

    /** Builds the reply to {@code request} received at true time {@code rxTrue}, sent at {@code txTrue}. */
    byte[] answer(byte[] request, long rxTrue, long txTrue, long startNanos) {
        NtpPacket req;
        try {
            req = NtpPacket.decode(request, 0, request.length);
        } catch (MalformedPacketException e) {
            return null;
        }
        if (req.mode() != NtpPacket.MODE_CLIENT) return null;
        requests++;
        long rx = NtpTimestamp.fromUnixNanos(clockNanos(rxTrue, startNanos));
        long tx = NtpTimestamp.fromUnixNanos(clockNanos(txTrue, startNanos));
        if (kiss != null) {
            int code = kiss.charAt(0) << 24 | kiss.charAt(1) << 16 | kiss.charAt(2) << 8 | kiss.charAt(3);
            return new NtpPacket(3, req.version(), NtpPacket.MODE_SERVER, 0, req.pollLog2(), -20, 0, 0, code, 0,
                    req.transmitTime(), rx, tx, null).encode();
        }
        long ref = NtpTimestamp.fromUnixNanos(clockNanos(rxTrue - 16_000_000_000L, startNanos));
        return new NtpPacket(leap, req.version(), NtpPacket.MODE_SERVER, stratum, req.pollLog2(), -20,
                NtpTimestamp.toShort(rootDelaySeconds), NtpTimestamp.toShort(rootDispersionSeconds),
                stratum == 1 ? 0x47505300 : 0x7f000001, ref, req.transmitTime(), rx, tx, null).encode();
    }
}
