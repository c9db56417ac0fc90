package org.jchrony.source;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jchrony.auth.KeyInfo;
import org.jchrony.auth.KeyType;
import org.jchrony.auth.MacCheck;
import org.jchrony.auth.SourceAuth;
import org.jchrony.core.Scheduler;
import org.jchrony.discipline.LocalClock;
import org.jchrony.discipline.Sample;
import org.jchrony.discipline.SelectableSource;
import org.jchrony.discipline.SourceStats;
import org.jchrony.ntp.MalformedPacketException;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream NTP server or peer (or pool member), polled as chronyd polls it.
 *
 * <ul>
 *   <li>Requests carry only version, mode and poll; the transmit timestamp is a random number
 *       remembered locally (RFC 9109 data minimisation), the local TX time comes from the
 *       {@link Transport}.</li>
 *   <li>Responses pass RFC 5905's tests (duplicate, origin match, valid timestamps,
 *       synchronised server, root distance) and chronyd's delay tests (maxdelay, maxdelayratio,
 *       maxdelaydevratio) before their offset/delay/dispersion become a {@link Sample}.</li>
 *   <li>Reachability register shifted on each request, bit set on each genuine response.</li>
 *   <li>The poll interval adapts between minpoll and maxpoll: it rises while the regression
 *       uses at least {@code polltarget} samples and falls when it uses fewer.</li>
 *   <li>iburst (four requests a quarter poll apart, at most 2 s, at start), burst, KoD RATE
 *       (bursts stop, requests at least 8 s apart, as chronyd 4.3 does), KoD DENY/RSTR (ignored like
 *       chronyd 4.3, or demobilising per RFC 5905 with {@link #setDemobiliseOnDeny}), offline/online,
 *       presend.</li>
 *   <li>Symmetric-key authentication ({@code key ID}, {@link SourceOptions#auth()}), as chronyd 4.3:
 *       requests carry a MAC ({@link MacCheck}); no request is sent while the key is missing from the
 *       keyfile; a response without a valid MAC of the same key (no MAC, crypto-NAK, other key, bad or
 *       truncated digest) is counted in "Total RX" and dropped before the NTP tests, so it changes
 *       nothing else (not even the pending request, so a forged reply cannot hide the real one).</li>
 * </ul>
 * Not thread-safe: timers and {@link #handleResponse} run on the core thread.
 */
public final class NtpSource implements SelectableSource {
    private static final Logger log = LoggerFactory.getLogger(NtpSource.class);
    private static final double LOCAL_PRECISION_SECONDS = 1e-6;
    private static final double PHI = 15e-6;
    private static final double MAX_ROOT_DISTANCE = 16.0;
    /** Minimum spacing of requests to a server answering KoD RATE (chronyd 4.3: about 8.6 s at poll 1). */
    static final double RATE_MIN_INTERVAL_SECONDS = 8.0;
    /** Precision byte chronyd 4.3 puts in its client requests (observed on loopback). */
    static final int REQUEST_PRECISION_FIELD = 32;

    /** How the source was configured. */
    public enum Kind { SERVER, PEER, POOL_MEMBER }

    /** Callbacks to the manager (core thread). */
    public interface Listener {
        /** A new sample was added to {@link #stats()}. */
        void sampleAdded(NtpSource source);

        /** The source became reachable or unreachable. */
        void reachabilityChanged(NtpSource source);

        /** The source stopped itself (KoD DENY/RSTR). */
        void demobilised(NtpSource source, String reason);
    }

    private final String name;
    private final SourceAddress address;
    /** noselect/require/trust after authselectmode (null: as configured). */
    private org.jchrony.discipline.AuthSelectPolicy.Options selectOptions;
    /** Room for an NTS request: header, unique id, cookie, placeholders, authenticator (chronyd parses up to 1096 bytes). */
    private static final int NTS_REQUEST_BUFFER = 1100;
    private final Kind kind;
    private SourceOptions opts;
    private final LocalClock clock;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Transport transport;
    private final Listener listener;
    private final SourceStats stats;
    private final int refId;
    /** Largest meaningful jitter asymmetry; outside -0.5..+0.5 the option means "not set" (estimate). */
    private static final double MAX_ASYMMETRY = 0.5;
    private final List<Sample> filterBuffer = new ArrayList<>();

    private boolean started;
    private boolean online;
    private boolean demobilised;
    private Scheduler.Timer timer;
    private int pollLog2;
    private double pollScore;
    private int reach;
    private long requests;
    private int burstRemaining;
    private int burstGoodNeeded;

    private boolean awaiting;
    private boolean awaitingPresend;
    private long requestOrigin;
    private long requestTxCookedNanos;
    private long lastRemoteTransmit;

    private TestBits lastTests = TestBits.NONE;
    private long lastSampleCookedNanos;
    private double lastOrigOffsetSeconds;
    private int lastStratum;
    private int lastLeap = 3;
    private int lastRemoteRefId;
    private long validResponses;
    private boolean rateLimited;
    private boolean demobiliseOnDeny;
    private long matchedResponses;
    private long receivedPackets;
    private long kodRate;
    private NtpData lastData;

    private long authenticRx;
    private long authFailedRx;
    private long cryptoNakRx;
    private long lastAuthenticRawNanos;
    private long lastAuthFailedRawNanos;
    private MacCheck.Result lastAuthResult;
    private boolean lastResponseAuthenticated;
    private boolean keyMissingLogged;
    private boolean keyUsable;

    public NtpSource(String name, SourceAddress address, Kind kind, SourceOptions opts, LocalClock clock,
                     Scheduler scheduler, RandomGenerator random, Transport transport, Listener listener) {
        this.name = name;
        this.address = address;
        this.kind = kind;
        this.opts = opts;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.transport = transport;
        this.listener = listener;
        this.stats = new SourceStats(opts.minSamples(), opts.maxSamples(), opts.minDelaySeconds());
        this.refId = refIdOf(address.address());
        this.pollLog2 = opts.minPollLog2();
        this.online = !opts.offline();
    }

    /** Reference id for an address: the IPv4 address, or the first 32 bits of the MD5 of an IPv6 one. */
    public static int refIdOf(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return ByteBuffer.wrap(b).getInt();
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("MD5").digest(b)).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts polling (first request after a short random delay, iburst if configured). */
    public void start() {
        if (started) return;
        started = true;
        checkKey();
        if (online) goOnline();
    }

    /** Stops all timers; the source sends nothing more. */
    public void stop() {
        started = false;
        cancelTimer();
    }

    private void goOnline() {
        if (opts.iburst()) startBurst(4, 4);
        scheduleIn(random.nextDouble() * 0.1);
    }

    /**
     * chronyc modify commands (minpoll, maxpoll, polltarget, maxdelay, maxdelayratio,
     * maxdelaydevratio, minstratum, ...): replaces the options; the poll is clamped to the new range.
     * Options fixed at creation (sample limits, mindelay) keep their first values in the statistics.
     */
    public void modify(SourceOptions newOpts) {
        // the key is fixed at creation, as in chronyd (modify commands cannot change it)
        if (!newOpts.auth().equals(opts.auth())) newOpts = newOpts.withAuth(opts.auth());
        this.opts = newOpts;
        pollLog2 = Math.max(newOpts.minPollLog2(), Math.min(newOpts.maxPollLog2(), pollLog2));
    }

    /** chronyc online/offline. */
    public void setOnline(boolean on) {
        if (on == online) return;
        online = on;
        if (!started || demobilised) return;
        cancelTimer();
        if (on) goOnline();
        else {
            awaiting = false;
            burstRemaining = 0;
        }
    }

    /** chronyc burst good/max: up to {@code max} requests at short intervals until {@code good} samples. */
    public void burst(int good, int max) {
        if (demobilised || !online) return;
        startBurst(good, max);
        if (started) {
            cancelTimer();
            scheduleIn(0.0);
        }
    }

    private void startBurst(int good, int max) {
        burstRemaining = Math.max(1, max);
        burstGoodNeeded = Math.max(1, Math.min(good, max));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void scheduleIn(double seconds) {
        cancelTimer();
        timer = scheduler.schedule(Math.max(0, Math.round(seconds * 1e9)), this::pollTimer);
    }

    private void pollTimer() {
        timer = null;
        if (!started || demobilised || !online) return;
        if (opts.auth().isNts() && !opts.auth().nts().prepare(address.address(), this::ntsReady)) {
            // as chronyd: no request before NTS-KE has given keys and cookies; polled again when it has
            scheduleIn(Math.scalb(1.0, effectivePollLog2()));
            return;
        }
        transmit(false);
        double interval;
        if (burstRemaining > 0) {
            burstRemaining--;
            interval = burstIntervalSeconds();
            if (burstRemaining == 0) interval = Math.scalb(1.0, effectivePollLog2());
        } else if (opts.burst()) {
            // burst option: up to three more requests at <=2 s until one gives a good sample
            startBurst(1, 3);
            interval = burstIntervalSeconds();
        } else {
            interval = Math.scalb(1.0, effectivePollLog2());
        }
        if (rateLimited) interval = Math.max(interval, RATE_MIN_INTERVAL_SECONDS);
        if (burstRemaining == 0 && opts.presendLog2() > 0 && effectivePollLog2() >= opts.presendLog2()
                && interval > 4) {
            scheduler.schedule(Math.round((interval - 2.0) * 1e9), this::presend);
        }
        scheduleIn(interval);
    }

    /**
     * Interval between burst/iburst requests: a quarter of the poll interval, at most 2 s. Observed
     * with chronyd 4.3 iburst: 2 s apart at minpoll 6, about 1 s at minpoll 2, 0.27 s at minpoll 0.
     */
    private double burstIntervalSeconds() {
        return Math.min(2.0, Math.scalb(1.0, effectivePollLog2() - 2));
    }

    /** NTS-KE completed: poll now (on the core thread). */
    private void ntsReady() {
        if (started && !demobilised && online) scheduleIn(0);
    }

    private void presend() {
        if (!started || demobilised || !online || burstRemaining > 0) return;
        transmit(true);
    }

    private int effectivePollLog2() {
        return pollLog2;
    }

    /**
     * RFC 5905 behaviour: stop polling a server that answers KoD DENY or RSTR. Off by default, as
     * chronyd 4.3 was observed to keep polling after an unauthenticated DENY.
     */
    public void setDemobiliseOnDeny(boolean on) {
        demobiliseOnDeny = on;
    }

    /** chronyd's warnings when a source's key is missing or shorter than 80 bits. Returns whether it can sign. */
    private boolean checkKey() {
        SourceAuth auth = opts.auth();
        if (!auth.enabled()) return true;
        var info = auth.keys().info(auth.keyId());
        boolean wasUsable = keyUsable;
        keyUsable = info.isPresent();
        if (!keyUsable) {
            if (!keyMissingLogged) log.warn("Key {} is missing", auth.keyId());
            keyMissingLogged = true;
            return false;
        }
        keyMissingLogged = false;
        // first use of the key, or back after a rekey
        if (!wasUsable && info.get().lengthBits() < KeyType.MIN_SECURE_KEY_BYTES * 8) {
            log.warn("Key {} is too short", auth.keyId());
        }
        return true;
    }

    private void transmit(boolean presend) {
        // chronyd 4.3 (observed): with its key missing a source sends nothing and counts no request
        if (opts.auth().enabled() && !checkKey()) return;
        if (!presend) {
            int old = reach;
            reach = (reach << 1) & 0xff;
            requests++;
            if (old != 0 && reach == 0) {
                log.info("Source {} unreachable", name);
                listener.reachabilityChanged(this);
            }
        }
        long origin;
        do {
            origin = random.nextLong();
        } while (origin == 0);
        int mode = kind == Kind.PEER ? NtpPacket.MODE_SYMMETRIC_ACTIVE : NtpPacket.MODE_CLIENT;
        // as chronyd 4.3 sends them (observed): leap 0, stratum 0, the poll, precision byte 0x20, every
        // other field zero, and a random transmit timestamp
        SourceAuth auth = opts.auth();
        int version = MacCheck.requestVersion(auth, opts.version());
        NtpPacket req = new NtpPacket(0, version, mode, 0, effectivePollLog2(), REQUEST_PRECISION_FIELD,
                0, 0, 0, 0, 0, 0, origin, null);
        byte[] buf;
        int length;
        SourceAddress dst = address;
        if (auth.isNts()) {
            buf = new byte[NTS_REQUEST_BUFFER];
            req.encode(buf, 0);
            length = auth.nts().appendRequest(buf, NtpPacket.HEADER_LENGTH);
            if (length < 0) return; // no cookie left: NTS-KE at the next poll
            int port = auth.nts().ntpPort();
            java.net.InetAddress to = auth.nts().ntpAddress(address.address());
            if (port != address.port() || !to.equals(address.address())) dst = new SourceAddress(to, port);
        } else if (auth.enabled()) {
            buf = new byte[MacCheck.MAX_REQUEST_LENGTH];
            req.encode(buf, 0);
            length = MacCheck.signRequest(auth, buf, version);
            if (length < 0) return; // key vanished between the check and now: nothing sent
        } else {
            buf = req.encode();
            length = buf.length;
        }
        long txRaw = transport.send(buf, length, dst);
        requestOrigin = origin;
        requestTxCookedNanos = clock.cookedNanos(txRaw);
        awaiting = true;
        awaitingPresend = presend;
    }

    /**
     * A datagram from this source's address. {@code rxRawNanos} is the raw receive time (kernel
     * timestamp). Returns true if it was a genuine response to our request.
     */
    public boolean handleResponse(byte[] buf, int off, int len, long rxRawNanos) {
        if (demobilised || !online) return false;
        NtpPacket p;
        try {
            p = NtpPacket.decode(buf, off, len);
        } catch (MalformedPacketException e) {
            return false;
        }
        boolean modeOk = kind == Kind.PEER
                ? p.mode() == NtpPacket.MODE_SYMMETRIC_PASSIVE || p.mode() == NtpPacket.MODE_SYMMETRIC_ACTIVE
                : p.mode() == NtpPacket.MODE_SERVER;
        if (!modeOk || p.version() < 1 || p.version() > 4) return false;
        receivedPackets++;
        if (opts.auth().isNts()) {
            if (!awaiting) return false;
            int r = opts.auth().nts().checkResponse(buf, off, len);
            if (r != org.jchrony.auth.NtsAuthenticator.OK) {
                authFailedRx++;
                lastAuthFailedRawNanos = rxRawNanos;
                if (r == org.jchrony.auth.NtsAuthenticator.NAK) {
                    cryptoNakRx++;
                    log.info("Received NTS NAK from {}", name);
                }
                return false;
            }
            authenticRx++;
            lastAuthenticRawNanos = rxRawNanos;
        } else if (opts.auth().enabled() && !authenticate(buf, off, len, rxRawNanos)) {
            return false;
        }
        lastResponseAuthenticated = opts.auth().enabled() || opts.auth().isNts();
        boolean t1 = p.transmitTime() != lastRemoteTransmit;
        boolean t2 = awaiting && p.originTime() == requestOrigin;
        boolean t3 = p.receiveTime() != 0 && p.transmitTime() != 0;
        if (!(t1 && t2 && t3)) {
            lastTests = new TestBits(t1, t2, t3, false, false, false, false, false, false, false);
            return false;
        }
        awaiting = false;
        matchedResponses++;
        lastRemoteTransmit = p.transmitTime();
        if (p.stratum() == 0 && p.leap() == NtpPacket.LEAP_UNSYNCHRONISED) {
            handleKod(p.referenceId());
            return true;
        }
        rateLimited = false;

        long t1n = requestTxCookedNanos;
        long t4n = clock.cookedNanos(rxRawNanos);
        long t2n = NtpTimestamp.toUnixNanos(p.receiveTime(), t1n);
        long t3n = NtpTimestamp.toUnixNanos(p.transmitTime(), t1n);
        double delay = ((t4n - t1n) - (t3n - t2n)) * 1e-9;
        double theta = ((t2n - t1n) + (t3n - t4n)) * 0.5e-9;
        double serverPrecision = Math.scalb(1.0, p.precisionLog2());
        delay = Math.max(delay, Math.max(serverPrecision, LOCAL_PRECISION_SECONDS));
        double rootDelay = NtpTimestamp.fromShort(p.rootDelay());
        double rootDisp = NtpTimestamp.fromShort(p.rootDispersion());
        double dispersion = serverPrecision + LOCAL_PRECISION_SECONDS + PHI * Math.max(0, (t4n - t1n) * 1e-9);

        boolean t5 = true;
        long refTimeNanos = p.referenceTime() == 0 ? 0 : NtpTimestamp.toUnixNanos(p.referenceTime(), t1n);
        boolean t6 = p.leap() != NtpPacket.LEAP_UNSYNCHRONISED && p.stratum() >= 1 && p.stratum() <= 15
                && (refTimeNanos == 0 || refTimeNanos <= t3n);
        boolean t7 = rootDelay / 2 + rootDisp < MAX_ROOT_DISTANCE;
        boolean tA = delay <= opts.maxDelaySeconds();
        double minDelay = stats.size() > 0 ? stats.minDelaySeconds() : delay;
        if (opts.minDelaySeconds() > 0) minDelay = opts.minDelaySeconds();
        boolean tB = opts.maxDelayRatio() <= 0 || stats.size() < 1 || delay / minDelay <= opts.maxDelayRatio();
        boolean tC = stats.delayDevOk(delay, opts.maxDelayDevRatio(), t1n + (t4n - t1n) / 2);
        boolean tD = true;
        boolean headerOk = t5 && t6 && t7;
        // chronyd 4.3 (observed with an unsynchronised server): when tests 5-7 fail, tests A-D are
        // not evaluated (shown 0), nothing is measured, and the reach register gets no bit
        if (!headerOk) {
            tA = tB = tC = tD = false;
        }
        lastTests = new TestBits(true, true, true, t5, t6, t7, tA, tB, tC, tD);
        lastRemoteRefId = p.referenceId();
        boolean good = lastTests.allOk();
        lastData = new NtpData(opts.auth().isNts() ? new SourceAddress(address.address(), opts.auth().nts().ntpPort()) : address, p.leap(), p.version(), p.mode(), p.stratum(), p.pollLog2(), p.precisionLog2(),
                rootDelay, rootDisp, p.referenceId(), refTimeNanos, headerOk ? theta : 0, headerOk ? delay : 0,
                headerOk ? dispersion : 0, headerOk ? (t3n - t2n) * 1e-9 : 0, lastTests, requests, receivedPackets,
                matchedResponses, validResponses + (good ? 1 : 0));
        if (headerOk) {
            // a valid reply from a synchronised server: reachable
            int oldReach = reach;
            reach |= 1;
            if (oldReach == 0) listener.reachabilityChanged(this);
        }
        if (awaitingPresend) return true;
        if (!good) {
            log.debug("Source {} response failed tests {}", name, lastTests.render());
            return true;
        }
        validResponses++;
        lastStratum = p.stratum();
        // asymmetry: a value in -0.5..+0.5 is the configured one; anything else (the config layer
        // passes chronyd's 1.0 for "not set") means estimate it in the statistics. Applying 1.0 as a
        // correction (as before) shifted every sample by its whole extra delay: on the benchmark's
        // jittery references the clock sat 100-300 us off while its own statistics saw ~0.
        boolean fixedAsymmetry = Math.abs(opts.asymmetry()) <= MAX_ASYMMETRY;
        double correctedTheta = theta + opts.offsetSeconds()
                + (fixedAsymmetry ? opts.asymmetry() : 0) * Math.max(0, delay - Math.min(minDelay, delay));
        Sample s = new Sample(t1n + (t4n - t1n) / 2, -correctedTheta, delay, dispersion, rootDelay, rootDisp,
                p.stratum(), p.leap());
        lastLeap = p.leap();
        if (opts.filter() > 1) {
            filterBuffer.add(s);
            if (filterBuffer.size() < opts.filter()) return true;
            s = median(filterBuffer);
            filterBuffer.clear();
        }
        lastOrigOffsetSeconds = s.offsetSeconds();
        lastSampleCookedNanos = s.timeNanos();
        // as chronyd: the jitter asymmetry is estimated unless the asymmetry option fixes it
        stats.setAsymmetryEstimation(!fixedAsymmetry);
        stats.add(s);
        if (burstRemaining > 0 && --burstGoodNeeded <= 0) {
            burstRemaining = 0;
            scheduleIn(Math.scalb(1.0, effectivePollLog2()));
        }
        adaptPoll();
        listener.sampleAdded(this);
        return true;
    }

    /** Checks the response's MAC; counts the outcome. False: drop the packet. */
    private boolean authenticate(byte[] buf, int off, int len, long rxRawNanos) {
        byte[] whole = off == 0 ? buf : java.util.Arrays.copyOfRange(buf, off, off + len);
        MacCheck.Result r = MacCheck.checkResponse(opts.auth(), whole, len);
        lastAuthResult = r;
        if (r.ok()) {
            authenticRx++;
            lastAuthenticRawNanos = rxRawNanos;
            return true;
        }
        authFailedRx++;
        if (r == MacCheck.Result.CRYPTO_NAK) cryptoNakRx++;
        lastAuthFailedRawNanos = rxRawNanos;
        log.debug("Source {} response failed authentication: {}", name, r);
        return false;
    }

    private static Sample median(List<Sample> buf) {
        List<Sample> sorted = new ArrayList<>(buf);
        sorted.sort(Comparator.comparingDouble(Sample::offsetSeconds));
        return sorted.get(sorted.size() / 2);
    }

    private void handleKod(int code) {
        String kiss = new String(ByteBuffer.allocate(4).putInt(code).array(), java.nio.charset.StandardCharsets.US_ASCII);
        switch (kiss) {
            case "RATE" -> {
                // chronyd 4.3 (observed): the poll stays, bursts stop, and requests are spaced at least
                // about 8 s apart while the server keeps answering RATE
                kodRate++;
                rateLimited = true;
                burstRemaining = 0;
                log.info("Received KoD RATE from {}", name);
                scheduleIn(Math.max(RATE_MIN_INTERVAL_SECONDS, Math.scalb(1.0, effectivePollLog2())));
            }
            case "DENY", "RSTR" -> {
                if (!demobiliseOnDeny) {
                    // chronyd 4.3 (observed) keeps polling after an unauthenticated DENY/RSTR
                    log.debug("Ignoring unauthenticated KoD {} from {}", kiss, name);
                    return;
                }
                log.warn("Received KoD {} from {}, source demobilised", kiss, name);
                demobilised = true;
                cancelTimer();
                int old = reach;
                reach = 0;
                if (old != 0) listener.reachabilityChanged(this);
                listener.demobilised(this, kiss);
            }
            default -> log.debug("Ignoring KoD {} from {}", kiss, name);
        }
    }

    private void adaptPoll() {
        if (burstRemaining > 0) return;
        var est = stats.estimate();
        if (est == null) return;
        int used = est.samplesUsed();
        if (used >= opts.pollTarget()) pollScore += 0.5;
        else if (used < opts.pollTarget() / 2) pollScore -= 0.5;
        if (pollScore >= 1.0) {
            pollScore = 0;
            if (pollLog2 < opts.maxPollLog2()) {
                pollLog2++;
            }
        } else if (pollScore <= -1.0) {
            pollScore = 0;
            if (pollLog2 > opts.minPollLog2()) pollLog2--;
        }
    }

    // ---- accessors ----

    @Override public String name() { return name; }

    public SourceAddress sourceAddress() { return address; }

    @Override public InetAddress address() { return address.address(); }

    public Kind kind() { return kind; }

    public SourceOptions options() { return opts; }

    @Override public int refId() { return refId; }

    @Override public SourceStats stats() { return stats; }

    @Override public int reach() { return reach; }

    @Override public boolean reachable() { return online && !demobilised && reach != 0; }

    @Override public boolean prefer() { return opts.prefer(); }

    @Override public boolean noselect() { return selectOptions == null ? opts.noselect() : selectOptions.noselect(); }

    @Override public boolean trust() { return selectOptions == null ? opts.trust() : selectOptions.trust(); }

    @Override public boolean require() { return selectOptions == null ? opts.require() : selectOptions.require(); }

    /** Whether requests are authenticated ({@code key} or {@code nts}), for {@code authselectmode}. */
    public boolean authenticated() { return opts.auth().enabled() || opts.auth().isNts(); }

    /** The selection options {@code authselectmode} gives this source (null: the configured ones). */
    public void setSelectOptions(org.jchrony.discipline.AuthSelectPolicy.Options effective) { selectOptions = effective; }

    @Override public int minStratum() { return opts.minStratum(); }

    public int pollLog2() { return effectivePollLog2(); }

    public boolean online() { return online; }

    public boolean demobilised() { return demobilised; }

    public long requests() { return requests; }

    public long validResponses() { return validResponses; }

    public long kodRateCount() { return kodRate; }

    public TestBits lastTests() { return lastTests; }

    /** chronyc ntpdata for this source; null before the first genuine response. */
    public NtpData ntpData() { return lastData; }

    public int lastStratum() { return lastStratum; }

    /** Whether the last response that passed authentication was authenticated (ntpdata "Authenticated"). */
    public boolean lastResponseAuthenticated() { return lastResponseAuthenticated; }

    /**
     * chronyc authdata for this source: mode 1 (SK) with the key id and, while the key is loaded, its
     * type number and length in bits (0 and 0 when missing, as chronyd shows); mode 0 without a key.
     * Plus our own counters of authenticated and rejected responses.
     */
    public AuthData authData() {
        SourceAuth auth = opts.auth();
        if (auth.isNts()) {
            // chronyd: mode NTS, the AEAD (15, AES-SIV-CMAC-256) and its key length in bits
            return new AuthData(AuthData.MODE_NTS, auth.nts().report().keyId(), 15, 256, authenticRx, authFailedRx,
                    cryptoNakRx, lastAuthenticRawNanos, lastAuthFailedRawNanos, null, auth.nts().report());
        }
        if (!auth.enabled()) return new AuthData(0, 0, 0, 0, 0, 0, 0, 0, 0, null);
        KeyInfo info = auth.keys().info(auth.keyId()).orElse(null);
        return new AuthData(AuthData.MODE_SYMMETRIC, auth.keyId(), info == null ? 0 : info.type().authDataCode(),
                info == null ? 0 : info.lengthBits(), authenticRx, authFailedRx, cryptoNakRx, lastAuthenticRawNanos,
                lastAuthFailedRawNanos, lastAuthResult);
    }

    public int lastLeap() { return lastLeap; }

    public int lastRemoteRefId() { return lastRemoteRefId; }

    /** Cooked local time of the last sample (0 if none). */
    public long lastSampleNanos() { return lastSampleCookedNanos; }

    public double lastOrigOffsetSeconds() { return lastOrigOffsetSeconds; }

    @Override
    public String toString() {
        return "NtpSource[" + name + " " + address + "]";
    }
}
