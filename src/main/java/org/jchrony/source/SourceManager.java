package org.jchrony.source;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jchrony.clock.ClockDriver;
import org.jchrony.core.Scheduler;
import org.jchrony.discipline.Discipline;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.discipline.LocalClock;
import org.jchrony.discipline.ReferenceListener;
import org.jchrony.discipline.ReferenceState;
import org.jchrony.discipline.SourceData;
import org.jchrony.discipline.SourceState;
import org.jchrony.discipline.SourceStatsData;
import org.jchrony.discipline.TrackingData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade the daemon wires: all upstream sources plus the discipline. Add sources from the
 * configuration, feed it every datagram received on the client sockets ({@link #onResponse}),
 * publish {@link ReferenceState} from a {@link ReferenceListener}, and build chronyc reports
 * from {@link #tracking()}, {@link #sources()}, {@link #sourceStats()}.
 *
 * <p>Everything runs on the core thread (timers through the injected {@link Scheduler}).
 */
public final class SourceManager {
    private static final Logger log = LoggerFactory.getLogger(SourceManager.class);
    private static final double POOL_CHECK_INTERVAL_SECONDS = 64;
    private static final int FALSETICKER_CHECKS_BEFORE_REPLACE = 3;

    private final LocalClock clock;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Transport transport;
    private final Resolver resolver;
    private final Discipline discipline;
    private final Map<SourceAddress, NtpSource> byAddress = new LinkedHashMap<>();
    private org.jchrony.discipline.AuthSelectPolicy.Mode authSelectMode = org.jchrony.discipline.AuthSelectPolicy.Mode.MIX;
    private final List<PoolSource> pools = new ArrayList<>();
    private final Map<NtpSource, PoolSource> poolOf = new IdentityHashMap<>();
    private final Map<NtpSource, Integer> falsetickerChecks = new IdentityHashMap<>();
    private final NtpSource.Listener sourceListener = new NtpSource.Listener() {
        @Override
        public void sampleAdded(NtpSource source) {
            discipline.sampleAdded(source, byAddress.values());
            for (java.util.function.Consumer<NtpSource> l : sampleListeners) l.accept(source);
        }

        @Override
        public void reachabilityChanged(NtpSource source) {
            discipline.reselect(byAddress.values());
        }

        @Override
        public void demobilised(NtpSource source, String reason) {
            discipline.reselect(byAddress.values());
        }
    };
    private final List<java.util.function.Consumer<NtpSource>> sampleListeners = new ArrayList<>();
    private boolean started;
    private boolean demobiliseOnDeny;
    private Scheduler.Timer poolTimer;

    public SourceManager(ClockDriver driver, Scheduler scheduler, RandomGenerator random, Transport transport,
                         Resolver resolver, DisciplineConfig config) {
        this.clock = new LocalClock(driver);
        this.scheduler = scheduler;
        this.random = random;
        this.transport = transport;
        this.resolver = resolver;
        this.discipline = new Discipline(clock, config);
    }

    public Discipline discipline() { return discipline; }

    public LocalClock clock() { return clock; }

    /** Called (on the core thread) after each measurement that became a sample, after the discipline saw it. */
    public void addSampleListener(java.util.function.Consumer<NtpSource> l) {
        sampleListeners.add(l);
    }

    public void addReferenceListener(ReferenceListener l) {
        discipline.addListener(l);
    }

    /** RFC 5905 KoD DENY/RSTR demobilisation (off by default, as chronyd 4.3 keeps polling). */
    public void setDemobiliseOnDeny(boolean on) {
        demobiliseOnDeny = on;
        for (NtpSource s : byAddress.values()) s.setDemobiliseOnDeny(on);
    }

    /** Starts polling all sources added so far (and those added later at once). */
    public void start() {
        if (started) return;
        started = true;
        for (NtpSource s : List.copyOf(byAddress.values())) s.start();
        for (PoolSource p : pools) p.refill();
        schedulePoolCheck();
    }

    /** Stops every source timer. */
    public void stop() {
        started = false;
        for (NtpSource s : byAddress.values()) s.stop();
        if (poolTimer != null) poolTimer.cancel();
    }

    /** A {@code server} with a known address. Returns empty if the address is already a source. */
    public Optional<NtpSource> addServer(String name, SourceAddress address, SourceOptions opts) {
        return add(name, address, NtpSource.Kind.SERVER, opts);
    }

    /** A {@code peer} (symmetric active mode, basic mode only). */
    public Optional<NtpSource> addPeer(String name, SourceAddress address, SourceOptions opts) {
        return add(name, address, NtpSource.Kind.PEER, opts);
    }

    /** A {@code server} given by host name: resolved through the {@link Resolver}, first address used. */
    public void addServerByName(String name, SourceOptions opts) {
        resolver.resolve(name, addrs -> {
            if (addrs.isEmpty()) {
                log.warn("Could not resolve {}", name);
                return;
            }
            addServer(name, new SourceAddress(addrs.getFirst(), opts.port()), opts);
        });
    }

    /** A {@code pool}: up to {@code opts.maxSources()} members, replaced when bad. */
    public PoolSource addPool(String name, SourceOptions opts) {
        PoolSource[] holder = new PoolSource[1];
        PoolSource pool = new PoolSource(name, opts, resolver,
                addr -> {
                    // NTS: each member has its own NTS-KE session (certificate checked for the pool's name)
                    SourceOptions memberOpts = opts.auth().isNts()
                            ? opts.withAuth(org.jchrony.auth.SourceAuth.nts(opts.auth().nts().forAnotherServer())) : opts;
                    Optional<NtpSource> m = add(name, addr, NtpSource.Kind.POOL_MEMBER, memberOpts);
                    m.ifPresent(s -> poolOf.put(s, holder[0]));
                    return m.orElse(null);
                },
                this::removeInternal);
        holder[0] = pool;
        pools.add(pool);
        if (started) pool.refill();
        return pool;
    }

    private Optional<NtpSource> add(String name, SourceAddress address, NtpSource.Kind kind, SourceOptions opts) {
        if (byAddress.containsKey(address)) return Optional.empty();
        NtpSource s = new NtpSource(name, address, kind, opts, clock, scheduler, random, transport, sourceListener);
        s.setDemobiliseOnDeny(demobiliseOnDeny);
        byAddress.put(address, s);
        applyAuthSelectMode();
        if (started) s.start();
        return Optional.of(s);
    }

    /** chronyc delete: removes the source with this address. */
    public boolean removeSource(InetAddress address) {
        for (NtpSource s : List.copyOf(byAddress.values())) {
            if (s.address().equals(address)) {
                PoolSource p = poolOf.get(s);
                if (p != null) p.forget(s);
                removeInternal(s);
                return true;
            }
        }
        return false;
    }

    /** Removes every source configured with {@code name} (a server, a peer, or a pool and its members). */
    public int removeByName(String name) {
        int n = 0;
        for (NtpSource s : List.copyOf(byAddress.values())) {
            if (s.name().equals(name)) {
                PoolSource p = poolOf.get(s);
                if (p != null) p.forget(s);
                removeInternal(s);
                n++;
            }
        }
        pools.removeIf(p -> p.name().equals(name));
        return n;
    }

    private void removeInternal(NtpSource s) {
        s.stop();
        byAddress.remove(s.sourceAddress());
        applyAuthSelectMode();
        poolOf.remove(s);
        falsetickerChecks.remove(s);
        discipline.removeSource(s, byAddress.values());
    }

    /**
     * A datagram received on a client socket from {@code from}, with its raw (kernel) RX time.
     * Returns true if a source accepted it as a genuine response.
     */
    public boolean onResponse(byte[] buf, int off, int len, long rxRawNanos, SourceAddress from) {
        NtpSource s = byAddress.get(from);
        if (s == null) s = ntsSourceAt(from);
        if (s == null) return false;
        return s.handleResponse(buf, off, len, rxRawNanos);
    }

    /** chronyd's {@code authselectmode} (default mix), applied to the sources now and whenever they change. */
    public void setAuthSelectMode(org.jchrony.discipline.AuthSelectPolicy.Mode mode) {
        authSelectMode = java.util.Objects.requireNonNull(mode);
        applyAuthSelectMode();
    }

    private void applyAuthSelectMode() {
        List<NtpSource> all = List.copyOf(byAddress.values());
        var candidates = all.stream().map(s -> new org.jchrony.discipline.AuthSelectPolicy.Candidate(s.authenticated(), false,
                new org.jchrony.discipline.AuthSelectPolicy.Options(s.options().noselect(), s.options().require(),
                        s.options().trust()))).toList();
        var effective = org.jchrony.discipline.AuthSelectPolicy.effective(authSelectMode, candidates);
        for (int i = 0; i < all.size(); i++) all.get(i).setSelectOptions(effective.get(i));
    }

    /** An NTS source whose NTP address and port (given by its NTS-KE server) are {@code from}. */
    private NtpSource ntsSourceAt(SourceAddress from) {
        for (NtpSource c : byAddress.values()) {
            var auth = c.options().auth();
            if (auth.isNts() && auth.nts().ntpAddress(c.address()).equals(from.address()) && auth.nts().ntpPort() == from.port()) {
                return c;
            }
        }
        return null;
    }

    public List<NtpSource> sourceList() {
        return List.copyOf(byAddress.values());
    }

    public Optional<NtpSource> find(InetAddress address) {
        return byAddress.values().stream().filter(s -> s.address().equals(address)).findFirst();
    }

    private void schedulePoolCheck() {
        if (pools.isEmpty() && !started) return;
        poolTimer = scheduler.schedule(Math.round(POOL_CHECK_INTERVAL_SECONDS * 1e9), () -> {
            checkPools();
            if (started) schedulePoolCheck();
        });
    }

    /** Replaces unreachable and persistent-falseticker pool members (also runs every 64 s). */
    public void checkPools() {
        for (NtpSource s : byAddress.values()) {
            if (discipline.stateOf(s) == SourceState.FALSETICKER) falsetickerChecks.merge(s, 1, Integer::sum);
            else falsetickerChecks.remove(s);
        }
        Predicate<NtpSource> persistentFalseticker =
                s -> falsetickerChecks.getOrDefault(s, 0) >= FALSETICKER_CHECKS_BEFORE_REPLACE;
        for (PoolSource p : pools) p.replaceBadMembers(persistentFalseticker);
    }

    // ---- chronyc commands ----

    /** chronyc makestep. */
    public boolean makestep() {
        return discipline.makestep();
    }

    /**
     * chronyc doffset / dfreq: {@code fastBySeconds} as chronyd takes doffset's value (the clock
     * is that much ahead and is slewed back; doffset -0.1 leaves it 0.1 s to move forward), and
     * ppm added to the frequency.
     */
    public void adjustClock(double fastBySeconds, double dFreqPpm) {
        discipline.adjustClock(fastBySeconds, dFreqPpm, byAddress.values());
    }

    /** chronyc reset sources: every source forgets its measurements, as after a restart. */
    public void resetSources() {
        for (NtpSource s : byAddress.values()) s.stats().clear();
        discipline.forceReselect(byAddress.values());
    }

    /** chronyc reselect. */
    public void reselect() {
        discipline.forceReselect(byAddress.values());
    }

    /** chronyc modify* for the source with this address; false if there is none. */
    public boolean modify(InetAddress address, java.util.function.UnaryOperator<SourceOptions> change) {
        Optional<NtpSource> s = find(address);
        s.ifPresent(src -> src.modify(change.apply(src.options())));
        applyAuthSelectMode();
        return s.isPresent();
    }

    /** chronyc burst good/max for sources matching {@code filter}; returns how many. */
    public int burst(int good, int max, Predicate<InetAddress> filter) {
        int n = 0;
        for (NtpSource s : byAddress.values()) {
            if (filter.test(s.address())) {
                s.burst(good, max);
                n++;
            }
        }
        return n;
    }

    /** chronyc online/offline for sources matching {@code filter}; returns how many. */
    public int setOnline(boolean online, Predicate<InetAddress> filter) {
        int n = 0;
        for (NtpSource s : byAddress.values()) {
            if (filter.test(s.address())) {
                s.setOnline(online);
                n++;
            }
        }
        if (n > 0) discipline.reselect(byAddress.values());
        return n;
    }

    // ---- reports ----

    public ReferenceState reference() {
        return discipline.reference();
    }

    public TrackingData tracking() {
        return discipline.tracking();
    }

    /** chronyc sources, in the order sources were added. */
    public List<SourceData> sources() {
        long now = clock.nowNanos();
        List<SourceData> out = new ArrayList<>();
        for (NtpSource s : byAddress.values()) {
            var st = s.stats();
            var last = st.last();
            long since = s.lastSampleNanos() == 0 ? -1 : Math.max(0, (now - s.lastSampleNanos()) / 1_000_000_000L);
            double adjusted = last == null ? 0 : last.offsetSeconds();
            double err = discipline.distanceOf(s);
            if (Double.isNaN(err)) err = last == null ? 0 : last.peerDelaySeconds() / 2 + last.peerDispersionSeconds()
                    + last.rootDelaySeconds() / 2 + last.rootDispersionSeconds();
            out.add(new SourceData(s.address(), s.name(), s.pollLog2(), s.lastStratum(), discipline.stateOf(s),
                    s.kind() == NtpSource.Kind.PEER ? SourceData.Mode.PEER : SourceData.Mode.SERVER, s.reach(),
                    since, s.lastOrigOffsetSeconds(), adjusted, err, s.prefer(), s.noselect(), s.trust(), s.require()));
        }
        return out;
    }

    /** chronyc ntpdata for every source that has answered. */
    public List<NtpData> ntpData() {
        List<NtpData> out = new ArrayList<>();
        for (NtpSource s : byAddress.values()) if (s.ntpData() != null) out.add(s.ntpData());
        return out;
    }

    /** chronyc activity: sources online / offline (burst states are not tracked separately). */
    public int[] activity() {
        int on = 0, off = 0;
        for (NtpSource s : byAddress.values()) if (s.online()) on++; else off++;
        return new int[] {on, off};
    }

    /** chronyc sourcestats. */
    public List<SourceStatsData> sourceStats() {
        List<SourceStatsData> out = new ArrayList<>();
        for (NtpSource s : byAddress.values()) out.add(discipline.sourceStats(s));
        return out;
    }

    /** Selection state per source (for tests and chronyc selectdata). */
    public Map<NtpSource, SourceState> states() {
        Map<NtpSource, SourceState> m = new HashMap<>();
        for (NtpSource s : byAddress.values()) m.put(s, discipline.stateOf(s));
        return m;
    }
}
