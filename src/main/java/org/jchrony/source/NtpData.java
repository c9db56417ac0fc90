package org.jchrony.source;

import java.net.InetAddress;

/**
 * What {@code chronyc ntpdata} shows for one source: the last response's header and the
 * measurement made from it, plus counters.
 *
 * @param remote              remote address and port
 * @param leap                leap of the last response
 * @param version             version of the last response
 * @param mode                mode of the last response (4 server, 2/1 peer)
 * @param stratum             stratum of the last response
 * @param pollLog2            poll of the last response
 * @param precisionLog2       precision of the last response
 * @param rootDelaySeconds    root delay of the last response
 * @param rootDispersionSeconds root dispersion of the last response
 * @param refId               reference id of the last response
 * @param refTimeNanos        reference time of the last response (Unix ns, 0 = none)
 * @param offsetSeconds       measured offset, theta of RFC 5905: positive = local clock slow (the sign of
 *                            chronyc ntpdata and measurements.log, opposite to sources/sourcestats)
 * @param peerDelaySeconds    round-trip delay
 * @param peerDispersionSeconds dispersion of the measurement
 * @param responseTimeSeconds server's processing time (its transmit − receive)
 * @param tests               test results
 * @param totalTx             requests sent
 * @param totalRx             responses received from the source
 * @param totalValidRx        responses that passed tests 1-3 (a genuine answer to our request)
 * @param totalGoodRx         responses that passed every test and became samples
 */
public record NtpData(SourceAddress remote, int leap, int version, int mode, int stratum, int pollLog2,
                      int precisionLog2, double rootDelaySeconds, double rootDispersionSeconds, int refId,
                      long refTimeNanos, double offsetSeconds, double peerDelaySeconds, double peerDispersionSeconds,
                      double responseTimeSeconds, TestBits tests, long totalTx, long totalRx, long totalValidRx,
                      long totalGoodRx) {

    public InetAddress address() { return remote.address(); }
}
