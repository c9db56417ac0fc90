package org.jchrony.daemon;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jchrony.clock.ClockDriver;
import org.jchrony.cmdmon.ActivityReport;
import org.jchrony.cmdmon.AuthDataReport;
import org.jchrony.cmdmon.ClientAccessPage;
import org.jchrony.cmdmon.ClientAccessReport;
import org.jchrony.cmdmon.Candm;
import org.jchrony.cmdmon.Command;
import org.jchrony.cmdmon.CommandTarget;
import org.jchrony.cmdmon.IpAddr;
import org.jchrony.cmdmon.ManualSample;
import org.jchrony.cmdmon.NtpDataReport;
import org.jchrony.cmdmon.RtcReport;
import org.jchrony.cmdmon.SelectDataReport;
import org.jchrony.cmdmon.SimpleCommand;
import org.jchrony.cmdmon.SourceParameter;
import org.jchrony.cmdmon.ServerStatsReport;
import org.jchrony.cmdmon.SmoothingReport;
import org.jchrony.cmdmon.SourceReport;
import org.jchrony.cmdmon.SourceStatsReport;
import org.jchrony.cmdmon.Status;
import org.jchrony.cmdmon.Timespec;
import org.jchrony.cmdmon.TrackingReport;
import org.jchrony.core.TimeSource;
import org.jchrony.discipline.SourceData;
import org.jchrony.discipline.SourceStatsData;
import org.jchrony.discipline.TrackingData;
import org.jchrony.server.AccessList;
import org.jchrony.server.ClientLog;
import org.jchrony.server.ServerStats;
import org.jchrony.source.NtpSource;
import org.jchrony.source.SourceAddress;
import org.jchrony.source.SourceManager;
import org.jchrony.source.SourceOptions;

/**
 * chronyc's view of the running daemon: turns the core state (sources, discipline, client log,
 * access lists, clock) into the command protocol's reports, and carries out control commands
 * as chronyd does. Runs on the core loop, like everything it reads.
 */
final class DaemonCommandTarget implements CommandTarget {

    private final SourceManager sources;
    private final ClientLog clientLog;
    private final AccessList ntpAccess;
    private final AccessList cmdAccess;
    private final ClockDriver driver;
    private final TimeSource realtime;
    private final Runnable shutdown;
    private final Consumer<LocalSettings> localChanged;
    private final java.util.function.Supplier<LocalSettings> localNow;
    private final java.util.function.Function<InetAddress, InetAddress> localAddressOf;
    private final Runnable cycleLogs;
    private final Runnable reloadSources;
    private final Runnable refreshNames;

    /** chronyc local on/off: what the server should advertise when unsynchronised. */
    record LocalSettings(boolean on, int stratum, double distanceSeconds, boolean orphan) {}

    private org.jchrony.auth.KeyRing keys = org.jchrony.auth.KeyRing.none();
    private Runnable dump = () -> { };

    private org.jchrony.discipline.SmoothTime smoother;
    private org.jchrony.discipline.ManualMode manualMode = new org.jchrony.discipline.ManualMode(false);

    /** smoothtime's smoother (null when not configured) and the manual (settime) input. */
    void setManualInput(org.jchrony.discipline.SmoothTime smoothTime, org.jchrony.discipline.ManualMode manual) {
        smoother = smoothTime;
        manualMode = manual;
    }

    /** The keys of `keyfile`, for `add ... key N` and `rekey`. */
    /** chronyc dump: what writes the dump files (nothing without dumpdir). */
    void setDumpAction(Runnable action) {
        dump = action;
    }

    void setKeys(org.jchrony.auth.KeyRing k) {
        keys = k;
    }

    DaemonCommandTarget(SourceManager sources, ClientLog clientLog, AccessList ntpAccess, AccessList cmdAccess,
                        ClockDriver driver, TimeSource realtime, Runnable shutdown, Consumer<LocalSettings> localChanged,
                        java.util.function.Supplier<LocalSettings> localNow,
                        java.util.function.Function<InetAddress, InetAddress> localAddressOf, Runnable cycleLogs,
                        Runnable reloadSources, Runnable refreshNames) {
        this.sources = sources;
        this.clientLog = clientLog;
        this.ntpAccess = ntpAccess;
        this.cmdAccess = cmdAccess;
        this.driver = driver;
        this.realtime = realtime;
        this.shutdown = shutdown;
        this.localChanged = localChanged;
        this.localNow = localNow;
        this.localAddressOf = localAddressOf;
        this.cycleLogs = cycleLogs;
        this.reloadSources = reloadSources;
        this.refreshNames = refreshNames;
    }

    // ------------------------------------------------------------------ reports

    @Override
    public int sourceCount() {
        return sources.sourceList().size();
    }

    @Override
    public Optional<SourceReport> source(int index, long nowRealtimeNanos) {
        List<SourceData> all = sources.sources();
        if (index < 0 || index >= all.size()) return Optional.empty();
        SourceData d = all.get(index);
        return Optional.of(new SourceReport(IpAddr.of(d.address()), d.pollLog2(), d.stratum(), d.state().wireCode(),
                d.mode().wireCode(), 0, d.reach(), d.sinceSampleSeconds(), d.origLatestOffsetSeconds(),
                d.latestOffsetSeconds(), d.latestErrorSeconds()));
    }

    @Override
    public Optional<SourceStatsReport> sourceStats(int index, long nowRealtimeNanos) {
        List<SourceStatsData> all = sources.sourceStats();
        if (index < 0 || index >= all.size()) return Optional.empty();
        SourceStatsData s = all.get(index);
        return Optional.of(new SourceStatsReport(s.refId(), IpAddr.of(s.address()), s.samples(), s.runs(),
                s.spanSeconds(), s.stdDevSeconds(), s.residualFreqPpm(), s.skewPpm(), s.offsetSeconds(),
                s.offsetErrorSeconds()));
    }

    @Override
    public Optional<SelectDataReport> selectData(int index, long nowRealtimeNanos) {
        List<SourceData> all = sources.sources();
        if (index < 0 || index >= all.size()) return Optional.empty();
        SourceData d = all.get(index);
        NtpSource src = sources.sourceList().get(index);
        SourceOptions o = src.options();
        int opts = (o.prefer() ? 0x2 : 0) | (o.noselect() ? 0x1 : 0) | (o.trust() ? 0x4 : 0) | (o.require() ? 0x8 : 0);
        // effective options: after authselectmode
        int eff = (src.prefer() ? 0x2 : 0) | (src.noselect() ? 0x1 : 0) | (src.trust() ? 0x4 : 0) | (src.require() ? 0x8 : 0);
        double dist = sources.discipline().distanceOf(src);
        double offset = d.latestOffsetSeconds();
        double lo = Double.isNaN(dist) ? 0 : offset - dist;
        double hi = Double.isNaN(dist) ? 0 : offset + dist;
        long lastAgo = Math.max(0, d.sinceSampleSeconds()); // chronyd reports 0 before the first sample
        return Optional.of(new SelectDataReport(src.refId(), IpAddr.of(d.address()), selectChar(d, src.noselect()),
                src.authenticated(), src.lastLeap(), opts, eff, lastAgo, 1.0, lo, hi));
    }

    /** chronyc selectdata's state letter (see its -v legend). */
    private static int selectChar(SourceData d, boolean noselect) {
        return switch (d.state()) {
            case SELECTED -> '*';
            case COMBINED -> '+';
            case NOT_COMBINED -> noselect ? 'N' : '-';
            case FALSETICKER -> 'x';
            case JITTERY -> '~';
            case UNSELECTABLE -> noselect ? 'N' : d.reach() == 0 || d.sinceSampleSeconds() < 0 ? 'M' : 'd';
        };
    }

    @Override
    public TrackingReport tracking() {
        TrackingData t = sources.tracking();
        LocalSettings l = localNow.get();
        if (t.leap() == 3 && l.on()) {
            // chronyd with `local` and no synchronised source reports the local reference
            // (127.127.1.1, the local stratum, reference time "now", root delay/dispersion 0).
            long now = realtime.realtimeNanos();
            return new TrackingReport(0x7F7F0101, IpAddr.UNSPECIFIED, l.stratum(), 0,
                    Timespec.ofEpoch(Math.floorDiv(now, 1_000_000_000L), (int) Math.floorMod(now, 1_000_000_000L)),
                    t.currentCorrectionSeconds(), t.lastOffsetSeconds(), t.rmsOffsetSeconds(), t.freqPpm(),
                    t.residualFreqPpm(), t.skewPpm(), 0, 0, t.lastUpdateIntervalSeconds());
        }
        IpAddr addr = t.refAddress() == null ? IpAddr.UNSPECIFIED : IpAddr.of(t.refAddress());
        long refSeconds = Math.floorDiv(t.refTimeNanos(), 1_000_000_000L);
        int refNanos = (int) Math.floorMod(t.refTimeNanos(), 1_000_000_000L);
        return new TrackingReport(t.refId(), addr, t.stratum(), t.leap(), Timespec.ofEpoch(refSeconds, refNanos),
                t.currentCorrectionSeconds(), t.lastOffsetSeconds(), t.rmsOffsetSeconds(), t.freqPpm(),
                t.residualFreqPpm(), t.skewPpm(), t.rootDelaySeconds(), t.rootDispersionSeconds(),
                t.lastUpdateIntervalSeconds());
    }

    @Override
    public ActivityReport activity() {
        int[] a = sources.activity();
        return new ActivityReport(a[0], a[1], 0, 0, 0);
    }

    @Override
    public ServerStatsReport serverStats() {
        if (clientLog == null) return ServerStatsReport.v3(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        ServerStats s = clientLog.serverStats();
        return new ServerStatsReport(s.ntpHits(), s.ntsKeHits(), s.cmdHits(), s.ntpDrops(), s.ntsKeDrops(),
                s.cmdDrops(), s.logDrops(), s.ntpAuthHits(), s.ntpInterleavedHits(), s.ntpTimestamps(),
                s.ntpTimestampSpanSeconds(), 0, 0, s.ntpHits(), 0, 0, 0);
    }

    @Override
    public Optional<NtpDataReport> ntpData(IpAddr remote) {
        InetAddress a = remote.toInetAddress();
        if (a == null) return Optional.empty();
        var data = sources.ntpData().stream().filter(d -> d.address().equals(a)).findFirst();
        if (data.isEmpty()) {
            // a source that has not answered yet: chronyd reports it with zeros
            return sources.find(a).map(s -> new NtpDataReport(IpAddr.of(a), IpAddr.UNSPECIFIED,
                    s.sourceAddress().port(), 0, 0, 0, 0, 0, 0, 0, 0, 0, Timespec.ZERO, 0, 0, 0, 0, 0, 0, 'I', 'I',
                    s.requests(), 0, 0, 0, 0, 0, 0, 0));
        }
        return data.map(d -> {
            long refSec = Math.floorDiv(d.refTimeNanos(), 1_000_000_000L);
            int refNs = (int) Math.floorMod(d.refTimeNanos(), 1_000_000_000L);
            var t = d.tests();
            // chronyc prints the ten test bits from bit 9 (test 1) down to bit 0
            boolean[] bits = {t.notDuplicate(), t.originMatches(), t.validTimestamps(), t.authentic(), t.synchronised(),
                    t.rootDistanceOk(), t.delayOk(), t.delayRatioOk(), t.delayDevRatioOk(), t.noSyncLoop()};
            int flags = 0;
            for (boolean b : bits) flags = flags << 1 | (b ? 1 : 0);
            if (sources.find(a).map(NtpSource::lastResponseAuthenticated).orElse(false)) {
                flags |= NtpDataReport.FLAG_AUTHENTICATED;
            }
            InetAddress local = localAddressOf.apply(d.address());
            return new NtpDataReport(IpAddr.of(d.address()), local == null ? IpAddr.UNSPECIFIED : IpAddr.of(local),
                    d.remote().port(), d.leap(),
                    d.version(), d.mode(), d.stratum(), d.pollLog2(), d.precisionLog2(), d.rootDelaySeconds(),
                    d.rootDispersionSeconds(), d.refId(), Timespec.ofEpoch(refSec, refNs), d.offsetSeconds(),
                    d.peerDelaySeconds(), d.peerDispersionSeconds(), d.responseTimeSeconds(), 0.0, flags, 'K', 'K',
                    d.totalTx(), d.totalRx(), d.totalValidRx(), d.totalGoodRx(), 0, d.totalRx(), 0, 0);
        });
    }

    @Override
    public Optional<String> sourceName(IpAddr address) {
        return find(address).map(NtpSource::name);
    }

    @Override
    public Optional<AuthDataReport> authData(IpAddr address) {
        return find(address).map(s -> {
            org.jchrony.source.AuthData a = s.authData();
            var n = a.nts();
            if (n != null) {
                return new AuthDataReport(a.mode(), a.keyType(), a.keyId(), a.keyLengthBits(), n.keAttempts(),
                        n.lastKeAgoSeconds(), n.cookies(), n.cookieLength(), n.naks());
            }
            return new AuthDataReport(a.mode(), a.keyType(), a.keyId(), a.keyLengthBits(), 0, -1, 0, 0, 0);
        });
    }

    @Override
    public Optional<SmoothingReport> smoothing(long nowRealtimeNanos) {
        if (smoother == null) return Optional.empty();
        var st = smoother.state(driver.readRawNanos());
        return Optional.of(new SmoothingReport(st.active(), st.leapOnly(), st.offsetSeconds(), st.freqPpm(),
                st.wanderPpmPerSecond(), st.lastUpdateAgoSeconds(), st.remainingSeconds()));
    }

    @Override
    public Optional<RtcReport> rtc() {
        return Optional.empty();
    }

    @Override
    public List<ManualSample> manualSamples() {
        return manualMode.samples().stream().map(m -> new ManualSample(
                Timespec.ofEpoch(Math.floorDiv(m.whenNanos(), 1_000_000_000L), (int) Math.floorMod(m.whenNanos(), 1_000_000_000L)),
                m.slewedOffsetSeconds(), m.origOffsetSeconds(), m.residualSeconds())).toList();
    }

    @Override
    public Optional<ClientAccessPage> clientAccesses(long firstIndex, int maxClients, long minHits, boolean reset,
                                                     long nowRealtimeNanos) {
        if (clientLog == null) return Optional.empty();
        int size = clientLog.tableSize();
        List<ClientAccessReport> out = new ArrayList<>();
        long i = Math.max(0, firstIndex);
        for (; i < size && out.size() < Math.min(8, maxClients); i++) {
            org.jchrony.server.ClientAccessReport r = clientLog.report((int) i, reset, minHits, nowRealtimeNanos);
            if (r == null) continue;
            byte[] b = new byte[16];
            System.arraycopy(r.address(), 0, b, 0, Math.min(16, r.address().length));
            IpAddr a = r.family() == 4 ? IpAddr.inet4((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff))
                    : IpAddr.inet6(b);
            out.add(new ClientAccessReport(a, r.ntpHits(), r.ntsKeHits(), r.cmdHits(), r.ntpDrops(), r.ntsKeDrops(),
                    r.cmdDrops(), r.ntpIntervalLog2(), r.ntsKeIntervalLog2(), r.cmdIntervalLog2(),
                    r.ntpTimeoutIntervalLog2(), r.lastNtpHitAgoSeconds(), r.lastNtsKeHitAgoSeconds(),
                    r.lastCmdHitAgoSeconds()));
        }
        return Optional.of(new ClientAccessPage(size, i, out));
    }

    // ------------------------------------------------------------------ control

    private Optional<NtpSource> find(IpAddr address) {
        InetAddress a = address.toInetAddress();
        return a == null ? Optional.empty() : sources.find(a);
    }

    /** chronyd's (mask, address) source filter: unspecified means every source. */
    private static Predicate<InetAddress> matcher(IpAddr mask, IpAddr address) {
        if (address.family() == IpAddr.UNSPEC) return a -> true;
        byte[] m = mask.bytes();
        byte[] want = address.bytes();
        return a -> {
            byte[] got = a.getAddress();
            int fam = got.length == 4 ? IpAddr.INET4 : IpAddr.INET6;
            if (fam != address.family()) return false;
            for (int i = 0; i < got.length; i++) {
                if (((got[i] ^ want[i]) & m[i]) != 0) return false;
            }
            return true;
        };
    }

    @Override
    public Status setConnectivity(IpAddr mask, IpAddr address, boolean online) {
        int n = sources.setOnline(online, matcher(mask, address));
        return n > 0 || address.family() == IpAddr.UNSPEC ? Status.SUCCESS : Status.NO_SUCH_SOURCE;
    }

    @Override
    public Status onOffline() {
        sources.setOnline(true, a -> true);
        return Status.SUCCESS;
    }

    @Override
    public Status burst(IpAddr mask, IpAddr address, int goodSamples, int totalSamples) {
        int n = sources.burst(goodSamples, totalSamples, matcher(mask, address));
        return n > 0 || address.family() == IpAddr.UNSPEC ? Status.SUCCESS : Status.NO_SUCH_SOURCE;
    }

    @Override
    public Status modifySource(SourceParameter parameter, IpAddr address, double value) {
        InetAddress a = address.toInetAddress();
        if (a == null) return Status.NO_SUCH_SOURCE;
        int n = (int) value;
        boolean found = sources.modify(a, o -> switch (parameter) {
            case MINPOLL -> o.withPoll(n, Math.max(n, o.maxPollLog2()));
            case MAXPOLL -> o.withPoll(Math.min(n, o.minPollLog2()), n);
            case MINSTRATUM -> o.withCorrections(o.asymmetry(), o.offsetSeconds(), n);
            case POLLTARGET -> o.withPollTarget(n);
            case MAXDELAY -> o.withDelayLimits(value, o.maxDelayRatio(), o.maxDelayDevRatio());
            case MAXDELAYRATIO -> o.withDelayLimits(o.maxDelaySeconds(), value, o.maxDelayDevRatio());
            case MAXDELAYDEVRATIO -> o.withDelayLimits(o.maxDelaySeconds(), o.maxDelayRatio(), value);
        });
        return found ? Status.SUCCESS : Status.NO_SUCH_SOURCE;
    }

    @Override
    public Status modifySelectOptions(IpAddr address, int refId, int mask, int options) {
        InetAddress a = address.toInetAddress();
        if (a == null) return Status.NO_SUCH_SOURCE;
        // candm select option bits: noselect 0x1, prefer 0x2, trust 0x4, require 0x8
        boolean found = sources.modify(a, o -> o.withFlags(
                bit(mask, options, 0x2, o.prefer()), bit(mask, options, 0x1, o.noselect()),
                bit(mask, options, 0x4, o.trust()), bit(mask, options, 0x8, o.require())));
        if (found) sources.reselect();
        return found ? Status.SUCCESS : Status.NO_SUCH_SOURCE;
    }

    private static boolean bit(int mask, int options, int bit, boolean current) {
        return (mask & bit) != 0 ? (options & bit) != 0 : current;
    }

    @Override
    public Status modifyOffset(IpAddr address, int refId, double offsetSeconds) {
        InetAddress a = address.toInetAddress();
        if (a == null) return Status.NO_SUCH_SOURCE;
        return sources.modify(a, o -> o.withCorrections(o.asymmetry(), offsetSeconds, o.minStratum()))
                ? Status.SUCCESS : Status.NO_SUCH_SOURCE;
    }

    @Override
    public Status modifyMaxUpdateSkew(double skewPpm) {
        var d = sources.discipline();
        d.setConfig(d.config().withMaxUpdateSkew(skewPpm));
        return Status.SUCCESS;
    }

    @Override
    public Status modifyMakestep(int limit, double thresholdSeconds) {
        var d = sources.discipline();
        d.setConfig(d.config().withMakestep(thresholdSeconds, limit));
        return Status.SUCCESS;
    }

    @Override
    public Status simple(SimpleCommand command, long nowRealtimeNanos) {
        return switch (command) {
            case MAKESTEP -> {
                // chronyd -x cannot step its virtual clock on command: it answers 500 Failure
                if (!driver.controlsSystemClock()) yield Status.FAILED;
                sources.makestep();
                yield Status.SUCCESS;
            }
            case RESELECT -> {
                sources.reselect();
                yield Status.SUCCESS;
            }
            case SHUTDOWN -> {
                new Thread(shutdown, "jchronyd-shutdown-cmd").start();
                yield Status.SUCCESS;
            }
            // Nothing to dump, no keys to reload, no log files to reopen in this version; chronyd answers OK.
            case RESET_SOURCES -> {
                sources.resetSources();
                yield Status.SUCCESS;
            }
            case CYCLELOGS -> {
                cycleLogs.run();
                yield Status.SUCCESS;
            }
            case REKEY -> {
                keys.reload();
                yield Status.SUCCESS;
            }
            case RELOAD_SOURCES -> {
                reloadSources.run();
                yield Status.SUCCESS;
            }
            case REFRESH -> {
                refreshNames.run();
                yield Status.SUCCESS;
            }
            // dumpdir: chronyd answers OK whether or not it has something to dump
            case DUMP -> {
                dump.run();
                yield Status.SUCCESS;
            }
            case WRITERTC, TRIMRTC -> Status.NO_RTC;
        };
    }

    /** Counts command requests in the client log (chronyc clients/serverstats) and applies cmdratelimit to remote hosts. */
    @Override
    public boolean logCommandAccess(org.jchrony.server.PeerAddress peer, boolean localhost, long nowRealtimeNanos) {
        if (clientLog == null || peer.family() == org.jchrony.server.PeerAddress.UNIX) return true;
        int verdict = clientLog.access(ClientLog.CMDMON, peer, nowRealtimeNanos);
        return localhost || verdict == ClientLog.PASS;
    }

    @Override
    public Status reselectDistance(double distanceSeconds) {
        var d = sources.discipline();
        d.setConfig(d.config().withReselectDistance(distanceSeconds));
        return Status.SUCCESS;
    }

    @Override
    public Status local(boolean on, int stratum, double distanceSeconds, boolean orphan, double activateSeconds,
                        double waitSyncedSeconds, double waitUnsyncedSeconds) {
        localChanged.accept(new LocalSettings(on, stratum, distanceSeconds, orphan));
        return Status.SUCCESS;
    }

    @Override
    public Status manual(int option) {
        switch (option) {
            case 0 -> manualMode.setEnabled(false);
            case 1 -> manualMode.setEnabled(true);
            default -> manualMode.reset();
        }
        return Status.SUCCESS;
    }

    @Override
    public Status manualDelete(int index) {
        long now = sources.clock().nowNanos();
        return manualMode.delete(index, now).map(c -> {
            applyManual(now, c);
            return Status.SUCCESS;
        }).orElse(Status.BAD_SAMPLE);
    }

    @Override
    public SettimeResult settime(Timespec time) {
        long now = sources.clock().nowNanos();
        long entered = time.epochSeconds() * 1_000_000_000L + time.clampedNanos();
        return manualMode.settime(now, entered).map(c -> {
            applyManual(now, c);
            // chronyd's convention for the reply: offset fast-by, frequencies as "fast" ppm
            return new SettimeResult(Status.SUCCESS, new org.jchrony.cmdmon.ManualTimestamp(c.fastBySeconds(),
                    c.slopePpm(), -driver.readFrequencyPpm()));
        }).orElse(new SettimeResult(Status.NOT_ENABLED, null));
    }

    /**
     * Applies a manual-input correction to the clock (the clock driver the discipline uses
     * re-bases the stored samples by it, see SmoothingClockDriver).
     */
    private void applyManual(long now, org.jchrony.discipline.ManualMode.Correction c) {
        sources.adjustClock(c.fastBySeconds(), c.dFreqPpm());
    }

    @Override
    public Status smoothtime(int option, long nowRealtimeNanos) {
        if (smoother == null) return Status.NOT_ENABLED;
        long now = driver.readRawNanos();
        switch (option) {
            case 0 -> smoother.reset(now);
            case 1 -> smoother.activate(now);
            default -> {
                return Status.INVALID;
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status allowDeny(boolean cmd, boolean allow, boolean all, IpAddr address, int subnetBits) {
        byte[] addr = switch (address.family()) {
            case IpAddr.UNSPEC -> null;
            case IpAddr.INET4 -> java.util.Arrays.copyOf(address.bytes(), 4);
            case IpAddr.INET6 -> address.bytes();
            default -> new byte[0];
        };
        if (addr != null && addr.length == 0) return Status.BAD_SUBNET;
        boolean ok = (cmd ? cmdAccess : ntpAccess).add(allow, all, addr, subnetBits);
        return ok ? Status.SUCCESS : Status.BAD_SUBNET;
    }

    @Override
    public Status accessCheck(boolean cmd, IpAddr address) {
        int family = address.family() == IpAddr.INET4 ? 4 : address.family() == IpAddr.INET6 ? 6 : 0;
        if (family == 0) return Status.BAD_SUBNET;
        byte[] b = family == 4 ? java.util.Arrays.copyOf(address.bytes(), 4) : address.bytes();
        return (cmd ? cmdAccess : ntpAccess).allowed(b, family) ? Status.ACCESS_ALLOWED : Status.ACCESS_DENIED;
    }

    @Override
    public Status addSource(Command.AddSource r) {
        int f = r.flags();
        SourceOptions o = new SourceOptions(r.minpoll(), r.maxpoll(), r.pollTarget(), r.presendMinpoll(),
                (f & Command.AddSource.FLAG_IBURST) != 0, (f & Command.AddSource.FLAG_BURST) != 0,
                (f & Command.AddSource.FLAG_ONLINE) == 0, (f & Command.AddSource.FLAG_PREFER) != 0,
                (f & Command.AddSource.FLAG_NOSELECT) != 0, (f & Command.AddSource.FLAG_TRUST) != 0,
                (f & Command.AddSource.FLAG_REQUIRE) != 0, r.minStratum(), r.maxDelay(), r.maxDelayRatio(),
                r.maxDelayDevRatio(), r.minDelay(), r.asymmetry(), r.offset(), r.filterLength(), r.minSamples(),
                r.maxSamples(), r.port(), r.version() == 0 ? 4 : r.version(), r.maxSources())
                .withAuth(org.jchrony.auth.SourceAuth.of(Integer.toUnsignedLong(r.authKey()), keys, r.version() != 0));
        InetAddress literal = literal(r.name());
        switch (r.type()) {
            case Command.AddSource.POOL -> sources.addPool(r.name(), o);
            case Command.AddSource.PEER -> {
                if (literal == null) return Status.INVALID_NAME;
                if (sources.addPeer(r.name(), new SourceAddress(literal, r.port()), o).isEmpty()) return Status.SOURCE_ALREADY_KNOWN;
            }
            default -> {
                if (literal == null) sources.addServerByName(r.name(), o);
                else if (sources.addServer(r.name(), new SourceAddress(literal, r.port()), o).isEmpty()) return Status.SOURCE_ALREADY_KNOWN;
            }
        }
        return Status.SUCCESS;
    }

    /** The address of a numeric name, or null for a host name (resolved asynchronously). */
    private static InetAddress literal(String name) {
        return org.jchrony.config.IpAddress.parse(name).map(ip -> {
            try {
                return InetAddress.getByAddress(ip.toBytes());
            } catch (java.net.UnknownHostException e) {
                return null; // not reached: the bytes come from a parsed literal
            }
        }).orElse(null);
    }

    @Override
    public Status deleteSource(IpAddr address) {
        InetAddress a = address.toInetAddress();
        return a != null && sources.removeSource(a) ? Status.SUCCESS : Status.NO_SUCH_SOURCE;
    }

    @Override
    public Status dfreq(double dfreqPpm) {
        sources.adjustClock(0, dfreqPpm);
        return Status.SUCCESS;
    }

    @Override
    public Status doffset(double offsetSeconds) {
        // chronyd takes doffset's value as the amount the clock is fast by
        sources.adjustClock(offsetSeconds, 0);
        return Status.SUCCESS;
    }
}
