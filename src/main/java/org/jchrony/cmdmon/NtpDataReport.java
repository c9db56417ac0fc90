package org.jchrony.cmdmon;

/**
 * chronyc ntpdata for one NTP source (RPY_NTP_DATA for chronyc 4.3..4.5, RPY_NTP_DATA2 for 4.6+).
 * txTssChar/rxTssChar: 'D' daemon, 'K' kernel, 'H' hardware. flags: test bits (0x3ff),
 * 0x4000 interleaved, 0x8000 authenticated.
 */
public record NtpDataReport(IpAddr remoteAddress, IpAddr localAddress, int remotePort, int leap, int version,
                            int mode, int stratum, int pollLog2, int precisionLog2, double rootDelaySeconds,
                            double rootDispersionSeconds, int refId, Timespec refTime, double offsetSeconds,
                            double peerDelaySeconds, double peerDispersionSeconds, double responseTimeSeconds,
                            double jitterAsymmetry, int flags, int txTssChar, int rxTssChar, long totalTxCount,
                            long totalRxCount, long totalValidCount, long totalGoodCount, long totalKernelTxTs,
                            long totalKernelRxTs, long totalHwTxTs, long totalHwRxTs) {
    public static final int FLAG_INTERLEAVED = 0x4000;
    public static final int FLAG_AUTHENTICATED = 0x8000;
}
