package org.jchrony.cmdmon;

import java.util.List;
import java.util.Optional;

/**
 * What {@link CommandHandler} asks of the daemon: reports built from the core state and control
 * operations returning a {@link Status}. Called on the thread that calls the handler (the core
 * loop). {@code nowRealtimeNanos} is the request's receive time, for "ago" fields.
 */
public interface CommandTarget {
    /**
     * Called for every well-formed request (right type, reserved bytes clear) where chronyd logs
     * the command access: for the clients/serverstats command counters and rate limiting. Return
     * false to drop the request silently (chronyd only limits hosts other than localhost;
     * {@code localhost} is true for 127.0.0.1, ::1 and the Unix socket). Default: admit all.
     */
    default boolean logCommandAccess(org.jchrony.server.PeerAddress peer, boolean localhost, long nowRealtimeNanos) {
        return true;
    }

    // ------------------------------------------------------------ reports

    int sourceCount();

    /** Source at index [0, sourceCount()); empty → "no such source". */
    Optional<SourceReport> source(int index, long nowRealtimeNanos);

    Optional<SourceStatsReport> sourceStats(int index, long nowRealtimeNanos);

    Optional<SelectDataReport> selectData(int index, long nowRealtimeNanos);

    TrackingReport tracking();

    ActivityReport activity();

    ServerStatsReport serverStats();

    /** ntpdata of the NTP source with this remote address. */
    Optional<NtpDataReport> ntpData(IpAddr remote);

    /** The name the source was configured with (sourcename). */
    Optional<String> sourceName(IpAddr address);

    Optional<AuthDataReport> authData(IpAddr address);

    /** Empty when smoothtime is not configured (→ NOT_ENABLED). */
    Optional<SmoothingReport> smoothing(long nowRealtimeNanos);

    /** Empty when no RTC tracking (→ NO_RTC). */
    Optional<RtcReport> rtc();

    /** Up to 16 manual (settime) samples. */
    List<ManualSample> manualSamples();

    /**
     * Client log page as chronyd's CLIENT_ACCESSES_BY_INDEX3: clients with index ≥ firstIndex
     * and at least minHits hits, at most maxClients (≤ 8); reset zeroes counters of reported
     * clients. Empty when client logging is disabled (→ INACTIVE).
     */
    Optional<ClientAccessPage> clientAccesses(long firstIndex, int maxClients, long minHits, boolean reset,
                                              long nowRealtimeNanos);

    // ------------------------------------------------------------ control (Unix socket only)

    /** online/offline: SUCCESS or NO_SUCH_SOURCE. Unspecified mask and address mean all sources. */
    Status setConnectivity(IpAddr mask, IpAddr address, boolean online);

    /** onoffline: sources online or offline according to routes; no failure. */
    Status onOffline();

    Status burst(IpAddr mask, IpAddr address, int goodSamples, int totalSamples);

    /**
     * minpoll/maxpoll/minstratum/polltarget (integer values) and maxdelay/maxdelayratio/
     * maxdelaydevratio (seconds or ratios) of the source with this address; NO_SUCH_SOURCE if none.
     */
    Status modifySource(SourceParameter parameter, IpAddr address, double value);

    /**
     * selectopts (chronyc 4.7+): source by address, or by refid when the address is unspecified.
     * mask and options use selection bits 1 noselect, 2 prefer, 4 trust, 8 require; options in
     * mask are set or cleared as in options. NO_SUCH_SOURCE if none matches.
     */
    Status modifySelectOptions(IpAddr address, int refId, int mask, int options);

    /** offset (chronyc 4.7+): source by address or refid; new offset correction in seconds. */
    Status modifyOffset(IpAddr address, int refId, double offsetSeconds);

    Status modifyMaxUpdateSkew(double skewPpm);

    Status modifyMakestep(int limit, double thresholdSeconds);

    /** Commands without arguments: dump, rekey, cyclelogs, reselect, refresh, reload/reset sources, shutdown, writertc, trimrtc, makestep. */
    Status simple(SimpleCommand command, long nowRealtimeNanos);

    Status reselectDistance(double distanceSeconds);

    /** local (on=false: local off); LOCAL2 requests carry zero activate/wait values. */
    Status local(boolean on, int stratum, double distanceSeconds, boolean orphan, double activateSeconds,
                 double waitSyncedSeconds, double waitUnsyncedSeconds);

    /** manual off (0), on (1), reset (2). */
    Status manual(int option);

    Status manualDelete(int index);

    /** settime: the result, or a failure status (NOT_ENABLED, FAILED). */
    SettimeResult settime(Timespec time);

    /** smoothtime reset (0) / activate (1); NOT_ENABLED when smoothing is off. */
    Status smoothtime(int option, long nowRealtimeNanos);

    /** allow/deny (cmd=false) or cmdallow/cmddeny (cmd=true); BAD_SUBNET on error. */
    Status allowDeny(boolean cmd, boolean allow, boolean all, IpAddr address, int subnetBits);

    /** accheck/cmdaccheck: ACCESS_ALLOWED or ACCESS_DENIED. */
    Status accessCheck(boolean cmd, IpAddr address);

    /** add server/pool/peer. */
    Status addSource(Command.AddSource request);

    Status deleteSource(IpAddr address);

    Status dfreq(double dfreqPpm);

    Status doffset(double offsetSeconds);

    /** settime's outcome. */
    record SettimeResult(Status status, ManualTimestamp timestamp) {}
}
