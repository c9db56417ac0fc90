package org.jchrony.daemon;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jchrony.cli.DaemonOptions;
import org.jchrony.clock.ClockDriver;
import org.jchrony.clock.Driftfile;
import org.jchrony.clock.LinuxClockDriver;
import org.jchrony.clock.NullClockDriver;
import org.jchrony.cmdmon.CommandHandler;
import org.jchrony.config.DaemonConfig;
import org.jchrony.config.Directive;
import org.jchrony.config.IpAddress;
import org.jchrony.core.Scheduler;
import org.jchrony.core.TimeSource;
import org.jchrony.discipline.ReferenceListener;
import org.jchrony.discipline.ReferenceState;
import org.jchrony.net.ClientSocket;
import org.jchrony.net.ClockPrecision;
import org.jchrony.net.FdWatch;
import org.jchrony.net.NettyScheduler;
import org.jchrony.net.NtpServerSockets;
import org.jchrony.net.RealtimeClock;
import org.jchrony.net.SdNotify;
import org.jchrony.net.UdpEndpoint;
import org.jchrony.net.UdpSocket;
import org.jchrony.net.UdpSocketOptions;
import org.jchrony.net.UnixDatagramSocket;
import org.jchrony.server.AccessList;
import org.jchrony.server.ClientLog;
import org.jchrony.server.PeerAddress;
import org.jchrony.server.Responder;
import org.jchrony.server.ServerSnapshot;
import org.jchrony.server.ServerSnapshotHolder;
import org.jchrony.source.SourceAddress;
import org.jchrony.source.SourceManager;
import org.jchrony.source.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that runs: event loops, clock, sources and discipline, NTP server, command
 * sockets. Built and started by {@link Daemon}, in chronyd's order; {@link #close()} undoes it
 * in reverse and writes the driftfile.
 *
 * <p>Threads: one "core" epoll loop owns sources, discipline, clock and the command handler;
 * N server loops (SO_REUSEPORT) answer NTP clients from the immutable {@link ServerSnapshot} the
 * core publishes; one resolver thread does blocking DNS look-ups and hands results to the core.
 */
final class DaemonCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");
    private static final long SNAPSHOT_REFRESH_NANOS = 1_000_000_000L;

    private final DaemonConfig cfg;
    private final DaemonOptions opts;
    private final Runnable shutdownRequest;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final RandomGenerator random = new SecureRandom();
    private final TimeSource realtime = RealtimeClock.INSTANCE;
    private final ServerSnapshotHolder snapshots;
    /** The local address each upstream source's responses arrive at (IP_PKTINFO), for ntpdata. */
    private final java.util.Map<InetAddress, InetAddress> upstreamLocalAddress = new java.util.HashMap<>();

    private IoEventLoopGroup coreGroup;
    private IoEventLoop coreLoop;
    private NettyScheduler scheduler;
    private IoEventLoopGroup serverGroup;
    private ExecutorService resolver;
    private ClockDriver driver;
    private Driftfile driftfile;
    private org.jchrony.clock.ClockJumpDetector jumpDetector;
    private ClockJumpWatch jumpWatch;
    private final java.util.function.LongSupplier jumpMonotonic = ClockJumpWatch.monotonicClock();
    private SourceManager sources;
    private ClientLog clientLog;
    private int precisionLog2 = ServerSnapshot.DEFAULT_PRECISION_LOG2;
    private volatile DaemonCommandTarget.LocalSettings local;
    private volatile ReferenceState reference = ReferenceState.UNSYNCHRONISED;
    private ClientSocket client4;
    private ClientSocket client6;
    private NtpServerSockets ntpSockets;
    private SdNotify notify;
    private org.jchrony.auth.KeyRing keys = org.jchrony.auth.KeyRing.none();
    /** NTS-KE clients by trusted certificate set (certset). */
    private final java.util.Map<Long, org.jchrony.net.NtsKeClient> ntsKeClients = new java.util.HashMap<>();
    private org.jchrony.clock.LeapSecondSetup leap;
    /** The sources read from sourcedir files, as (type, name, options) keys, for `reload sources`. */
    private java.util.Set<SourceKey> sourceDirSources = new java.util.LinkedHashSet<>();

    private record SourceKey(Directive.NtpSource source, Directive.SourceType type, String name,
                             org.jchrony.config.SourceOptions options) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SourceKey k && k.type == type && k.name.equals(name) && k.options.equals(options);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(type, name, options);
        }
    }

    private static SourceKey sourceKey(Directive.NtpSource s) {
        return new SourceKey(s, s.type(), s.name(), s.options());
    }
    private org.jchrony.logs.LogFiles logs;
    private org.jchrony.logs.ClockChangeReporter clockChanges;
    /** smoothtime: the served-time smoother (null when not configured). */
    private org.jchrony.discipline.SmoothTime smoother;
    /** manual / chronyc settime input. */
    private org.jchrony.discipline.ManualMode manual;
    /** dumpdir (null when not configured). */
    private DumpDirectory dumps;

    DaemonCore(DaemonConfig cfg, DaemonOptions opts, Runnable shutdownRequest) {
        this.cfg = cfg;
        this.opts = opts;
        this.shutdownRequest = shutdownRequest;
        this.local = cfg.local().map(l -> new DaemonCommandTarget.LocalSettings(true, l.stratum(), l.distanceSeconds(), l.orphan()))
                .orElse(new DaemonCommandTarget.LocalSettings(false, 0, 0, false));
        this.snapshots = new ServerSnapshotHolder(ServerSnapshot.unsynchronised(precisionLog2));
    }

    void start() throws DaemonException {
        keys = cfg.keyFile().map(f -> org.jchrony.auth.KeyRing.load(Path.of(f))).orElse(org.jchrony.auth.KeyRing.none());
        coreGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jchronyd-core"), EpollIoHandler.newFactory());
        coreLoop = (IoEventLoop) coreGroup.next();
        scheduler = new NettyScheduler(coreLoop);
        try {
            onCore(this::startOnCore);
        } catch (DaemonException e) {
            close();
            throw e;
        }
    }

    /** Runs {@code step} on the core loop and waits for it, carrying its exception back. */
    private void onCore(CoreStep step) throws DaemonException {
        var done = coreLoop.submit(() -> {
            step.run();
            return null;
        });
        done.awaitUninterruptibly();
        if (!done.isSuccess()) {
            Throwable t = done.cause();
            if (t instanceof DaemonException de) throw de;
            throw new DaemonException(String.valueOf(t.getMessage()), t);
        }
    }

    @FunctionalInterface
    private interface CoreStep {
        void run() throws Exception;
    }

    private void startOnCore() throws Exception {
        if (cfg.clockPrecisionSeconds() > 0) {
            precisionLog2 = ClockPrecision.log2(Math.round(cfg.clockPrecisionSeconds() * 1e9));
        } else {
            // Measuring takes about half a second of CPU (it needs a warmed-up clock read): serve
            // with the usual value meanwhile and publish the measured one when it is known; started
            // 2 s late so that it does not compete with start-up for the CPU.
            scheduler.schedule(2_000_000_000L, () -> Thread.ofPlatform().daemon().name("jchronyd-precision").start(() -> {
                int measured = ClockPrecision.measureLog2();
                coreLoop.execute(() -> {
                    precisionLog2 = measured;
                    publishSnapshot();
                });
            }));
        }
        publishSnapshot();

        // The clock: -x keeps the system clock untouched and disciplines a virtual one.
        if (opts.noClockControl() || opts.printOffsetOnce()) {
            driver = new NullClockDriver(realtime);
        } else {
            try {
                LinuxClockDriver linux = new LinuxClockDriver(new org.jchrony.clock.LinuxTimex(), scheduler,
                        cfg.maxSlewRatePpm(), cfg.rtcSync());
                opened.add(linux);
                driver = linux;
            } catch (RuntimeException e) {
                throw new DaemonException("Could not control the system clock: " + e.getMessage()
                        + " (run as root or with CAP_SYS_TIME, or use -x)");
            }
        }
        // steps of the system clock this daemon did not make (our own steps re-base the detector)
        jumpDetector = new org.jchrony.clock.ClockJumpDetector(realtime, jumpMonotonic, 0.010, 0.0);
        driver = jumpDetector.watching(driver);

        // smoothtime and manual input follow every correction of the clock
        cfg.smoothTime().ifPresent(st -> smoother = new org.jchrony.discipline.SmoothTime(st.maxFreqPpm(),
                st.maxWanderPpmPerSecond(), st.leapOnly(), driver.readRawNanos()));
        manual = new org.jchrony.discipline.ManualMode(cfg.manual());
        var followed = new org.jchrony.discipline.SmoothingClockDriver(driver, smoother, manual);
        sources = new SourceManager(followed, scheduler, random, transport(), this::resolve,
                ConfigMapping.discipline(cfg, opts.restartMode(), opts.setClockOnce()));
        sources.setAuthSelectMode(org.jchrony.discipline.AuthSelectPolicy.Mode.valueOf(cfg.authSelectMode().name()));
        logs = org.jchrony.logs.LogFiles.forConfig(cfg.logDir(), cfg.logs(), cfg.logBanner());
        opened.add(logs);
        clockChanges = org.jchrony.logs.ClockChangeReporter.forConfig(cfg.logChangeSeconds(), cfg.mailOnChange());
        sources.addSampleListener(this::logMeasurement);
        sources.addReferenceListener(new ReferenceListener() {
            @Override
            public void referenceUpdated(ReferenceState state) {
                reference = state;
                if (smoother != null) smoother.referenceUpdated(driver.readRawNanos(), sources.tracking().skewPpm());
                publishSnapshot();
                logClockUpdate();
            }

            @Override
            public void clockStepped(double fastBySeconds) {
                LOG.info("System clock was stepped by {} seconds", String.format("%.6f", -fastBySeconds));
            }

            @Override
            public void maxChangeExceeded(double offsetSeconds) {
                LOG.error("Adjustment of {} seconds exceeds the allowed maximum, exiting", String.format("%.3f", -offsetSeconds));
                shutdownRequest.run();
            }
        });

        // fallbackdrift: long-term frequency averages used when the sources stop updating the clock
        if (org.jchrony.discipline.FallbackDrift.enabled(cfg.fallbackDriftMinLog2(), cfg.fallbackDriftMaxLog2())) {
            sources.addReferenceListener(new org.jchrony.discipline.FallbackDrift(scheduler, sources.discipline(),
                    cfg.fallbackDriftMinLog2(), cfg.fallbackDriftMaxLog2()));
        }
        // chronyd -s: set the time from the RTC, or restore it from the driftfile's modification time
        if (opts.setFromRtc() && InitialClockSet.apply(cfg.driftFile(), cfg.rtcDevice(), cfg.rtcFile(), cfg.rtcOnUtc(), followed) != 0) publishSnapshot();
        readDriftfile();
        var leapMode = org.jchrony.discipline.LeapMode.of(cfg.leapSecMode().name());
        // smoothtime smooths a leap second the planner slews or steps (the kernel's own leap, mode system, it cannot see)
        boolean kernelLeap = leapMode == org.jchrony.discipline.LeapMode.SYSTEM && driver.controlsSystemClock();
        leap = org.jchrony.clock.LeapSecondSetup.install(kernelLeap ? driver : followed,
                scheduler, realtime, sources.discipline(), leapMode, cfg.leapSecTz(), cfg.leapSecList());
        followed.setLeapInProgress(leap.planner()::leapInProgress);
        opened.add(leap::stop);

        // NTP server.
        AccessList ntpAccess = ConfigMapping.accessList(cfg.ntpAccess());
        AccessList cmdAccess = ConfigMapping.accessList(cfg.cmdAccess());
        try {
            clientLog = new ClientLog(ConfigMapping.rateLimit(cfg.ntpRateLimit()), ConfigMapping.rateLimit(cfg.ntsRateLimit()),
                    ConfigMapping.rateLimit(cfg.cmdRateLimit()), cfg.noClientLog(), cfg.clientLogLimitBytes(), random);
        } catch (IllegalArgumentException e) {
            throw new DaemonException(e.getMessage());
        }
        // NTS server (ntsserverkey/ntsservercert): NTS-KE on its own loop, NTS checks in each responder
        NtsService nts = NtsService.start(cfg, clientLog, realtime, bindAddresses(cfg.bindAddress4(), cfg.bindAddress6()),
                cfg.ntpPort() != 0 && !opts.oneShot());
        if (nts != null) opened.add(nts);
        // One Responder per server loop (it keeps per-thread scratch state and a clock with its own
        // buffer: no thread-local look-up per packet); all share the snapshot, access list and client log.
        java.util.function.Function<io.netty.channel.IoEventLoop, org.jchrony.server.DatagramHandler> serve = loop ->
                new Responder(snapshots, RealtimeClock.forOneThread(), ntpAccess, clientLog,
                        keys.threadConfinedView(), new java.util.SplittableRandom(random.nextLong()),
                        nts == null ? null : nts.newNtpServer());
        if (cfg.ntpPort() != 0 && !opts.oneShot()) {
            int loops = Integer.getInteger("jchrony.serverLoops", NtpServerSockets.defaultSocketsPerAddress());
            serverGroup = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("jchronyd-ntp"), EpollIoHandler.newFactory());
            UdpSocketOptions so = new UdpSocketOptions(false, cfg.bindDevice().orElse(null), cfg.dscp(), 0);
            try {
                ntpSockets = NtpServerSockets.open(serverGroup, bindAddresses(cfg.bindAddress4(), cfg.bindAddress6()),
                        cfg.ntpPort(), loops, so, serve);
                opened.add(ntpSockets);
            } catch (IOException e) {
                throw new DaemonException("Could not open NTP socket: " + e.getMessage());
            }
        }

        // chronyc's command protocol: UDP on bindcmdaddress, the Unix socket.
        DaemonCommandTarget target = new DaemonCommandTarget(sources, clientLog, ntpAccess, cmdAccess, driver, realtime,
                shutdownRequest, s -> {
                    local = s;
                    publishSnapshot();
                }, () -> local, upstreamLocalAddress::get, this::cycleLogs, this::reloadSources, this::refreshNames);
        target.setKeys(keys);
        target.setManualInput(smoother, manual);
        target.setDumpAction(this::dumpSources);
        // as chronyd: only 127.0.0.1 and ::1 are implicitly allowed (CommandHandler), not all of 127/8
        CommandHandler commands = new CommandHandler(target, cmdAccess::allowed);
        if (cfg.cmdPort() != 0 && !opts.oneShot()) {
            for (InetAddress a : bindAddresses(cfg.bindCmdAddress4(), cfg.bindCmdAddress6())) {
                try {
                    UdpSocket s = UdpSocket.open(a, cfg.cmdPort(), UdpSocketOptions.DEFAULT);
                    opened.add(UdpEndpoint.open(coreLoop, s, commands));
                } catch (IOException e) {
                    LOG.warn("Could not open command socket on {} port {} : {}", a.getHostAddress(), cfg.cmdPort(), e.getMessage());
                }
            }
        }
        if (!opts.oneShot()) cfg.bindCmdSocket().filter(p -> !p.isEmpty()).ifPresent(path -> openUnixCommandSocket(Path.of(path), commands));

        if (cfg.metricsPort() != 0) {
            var metrics = new org.jchrony.metrics.MetricsServer(InetAddress.getByAddress(cfg.metricsBindAddress().toBytes()),
                    cfg.metricsPort(), coreGroup, coreLoop,
                    () -> org.jchrony.metrics.MetricsSnapshot.of(sources, clientLog, realtime.realtimeNanos()));
            metrics.start();
            opened.add(metrics);
        }

        for (Directive.NtpSource s : cfg.sources()) addSource(s);
        for (Directive.NtpSource s : cfg.sourceDirSources()) addSource(s);
        sourceDirSources = cfg.sourceDirSources().stream().map(DaemonCore::sourceKey).collect(
                java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        // dumpdir: -r reloads the sources' histories; the files are removed at every start, as chronyd does
        dumps = cfg.dumpDir().filter(d -> !d.isEmpty()).map(d -> new DumpDirectory(Path.of(d))).orElse(null);
        if (dumps != null) {
            if (opts.reloadDumps()) {
                dumps.readPending();
                dumps.reload(sources.sourceList(), sources.clock().nowNanos());
                sources.reselect();
                DumpDirectory d = dumps;
                sources.addSampleListener(s -> d.sampleAdded(s, sources.clock().nowNanos()));
            }
            dumps.removeDumpFiles();
        }
        sources.start();
        jumpWatch = new ClockJumpWatch(jumpDetector, jumpMonotonic, sources::resetSources);
        scheduler.schedule(SNAPSHOT_REFRESH_NANOS, this::checkClockJump);

        scheduler.schedule(SNAPSHOT_REFRESH_NANOS, this::refreshSnapshot);
        int interval = cfg.driftFileIntervalSeconds();
        if (driftfile != null && interval > 0) scheduler.schedule(interval * 1_000_000_000L, this::periodicDriftWrite);

        notify = SdNotify.fromEnvironment();
        opened.add(notify);

        int priority = opts.schedPriority() > 0 ? opts.schedPriority() : cfg.schedPriority();
        if (priority > 0) {
            // chronyd -P / sched_priority: SCHED_FIFO for the threads that handle time-critical work
            Privileges.realtimePriority(priority);
            if (serverGroup != null) {
                for (var loop : serverGroup) {
                    loop.submit(() -> {
                        Privileges.realtimePriority(priority);
                        return null;
                    }).awaitUninterruptibly();
                }
            }
            LOG.info("Set scheduler priority {}", priority);
        }
    }

    /** measurements.log and statistics.log lines for a new sample (chronyd writes both per measurement). */
    private void logMeasurement(org.jchrony.source.NtpSource source) {
        long now = realtime.realtimeNanos();
        var d = source.ntpData();
        if (d != null && logs.wantsMeasurement(d.tests().allOk())) {
            logs.write(org.jchrony.logs.LogEntries.measurement(now, d, source.pollLog2(), 1.0, false,
                    org.jchrony.logs.LogEntry.TimestampSource.KERNEL, org.jchrony.logs.LogEntry.TimestampSource.KERNEL));
        }
        if (logs.enabled(org.jchrony.logs.LogFile.STATISTICS)) {
            for (var st : sources.sourceStats()) {
                if (st.address() != null && st.address().equals(source.address())) {
                    logs.write(org.jchrony.logs.LogEntries.statistics(now, st, 0, 0, source.stats().asymmetry()));
                }
            }
        }
    }

    /** tracking.log and selection.log after a clock update; logchange/mailonchange. */
    private void logClockUpdate() {
        long now = realtime.realtimeNanos();
        var t = sources.tracking();
        if (logs.enabled(org.jchrony.logs.LogFile.TRACKING)) {
            int combined = 0;
            for (var sd : sources.sources()) {
                if (sd.state() == org.jchrony.discipline.SourceState.SELECTED
                        || sd.state() == org.jchrony.discipline.SourceState.COMBINED) combined++;
            }
            logs.write(org.jchrony.logs.LogEntries.tracking(now, t, combined, t.rmsOffsetSeconds(),
                    t.currentCorrectionSeconds(), t.rootDelaySeconds() / 2 + t.rootDispersionSeconds()));
        }
        if (logs.enabled(org.jchrony.logs.LogFile.SELECTION)) {
            for (var sd : sources.sources()) {
                logs.write(org.jchrony.logs.LogEntries.selection(now, sd, 1.0, Math.max(0, sd.sinceSampleSeconds()),
                        sd.latestOffsetSeconds() - sd.latestErrorSeconds(), sd.latestOffsetSeconds() + sd.latestErrorSeconds()));
            }
        }
        var report = clockChanges.clockUpdated(t.lastOffsetSeconds());
        if (report.logMessage() != null) LOG.warn("{}", report.logMessage());
        if (report.mailMessage() != null) LOG.warn("{}", report.mailMessage());
    }

    /**
     * chronyc reload sources: re-reads the sourcedir files (e.g. /run/chrony-dhcp), adds the
     * sources that appeared and removes those that disappeared, as chronyd does.
     */
    void reloadSources() {
        var contents = org.jchrony.config.ConfigParser.loadSourceDirs(cfg.sourceDirs());
        for (String w : contents.warnings()) LOG.warn("{}", w);
        java.util.Set<SourceKey> now = contents.sources().stream().map(DaemonCore::sourceKey).collect(
                java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        for (SourceKey old : sourceDirSources) {
            if (!now.contains(old)) sources.removeByName(old.name());
        }
        for (SourceKey k : now) {
            if (!sourceDirSources.contains(k)) addSource(k.source());
        }
        sourceDirSources = now;
    }

    /**
     * chronyc refresh: resolves the names of servers and peers again and moves a source whose
     * name now points elsewhere to the new address, keeping its options.
     */
    void refreshNames() {
        for (org.jchrony.source.NtpSource s : List.copyOf(sources.sourceList())) {
            if (s.kind() == org.jchrony.source.NtpSource.Kind.POOL_MEMBER || IpAddress.parse(s.name()).isPresent()) continue;
            resolve(s.name(), addrs -> {
                if (addrs.isEmpty() || addrs.contains(s.address())) return;
                var target = new SourceAddress(addrs.getFirst(), s.sourceAddress().port());
                sources.removeSource(s.address());
                if (s.kind() == org.jchrony.source.NtpSource.Kind.PEER) sources.addPeer(s.name(), target, s.options());
                else sources.addServer(s.name(), target, s.options());
                LOG.info("Source {} replaced with {} ({})", s.address().getHostAddress(),
                        target.address().getHostAddress(), s.name());
            });
        }
    }

    /** dumpdir: writes each source's measurement history (at exit and on chronyc dump). */
    void dumpSources() {
        if (dumps != null && sources != null) dumps.dump(sources.sourceList());
    }

    /**
     * dumpdir at exit. As chronyd cancels the offset correction still pending before it dumps, the
     * histories are re-based by it: the slew left (or, with -x, the virtual clock's whole offset)
     * is not there after a restart, so the samples are written relative to the clock the next
     * start (-r) will read.
     */
    private void dumpSourcesAtExit() {
        if (dumps == null || sources == null || driver == null) return;
        double pending = driver.offsetCorrectionSeconds(driver.readRawNanos());
        long now = sources.clock().nowNanos();
        if (pending != 0) {
            for (org.jchrony.source.NtpSource s : sources.sourceList()) s.stats().correct(now, pending, 0);
        }
        dumps.dump(sources.sourceList());
    }

    /** chronyc cyclelogs: reopen the log files (after logrotate moved them). */
    void cycleLogs() {
        if (logs != null) logs.reopen();
    }

    /**
     * chronyd's -u USER / user: once everything is open, a daemon started as root switches to
     * USER, keeping CAP_SYS_TIME on the core thread (the one that adjusts the clock). The
     * directory of the Unix command socket is handed to USER first so the socket can be
     * removed at exit, as chronyd does with its socket directory.
     */
    void dropPrivileges(String user) throws DaemonException {
        if (user == null || user.equals("root") || !Privileges.runningAsRoot()) return;
        Privileges.Account account = Privileges.lookup(user);
        onCore(() -> {
            cfg.bindCmdSocket().filter(p -> !p.isEmpty()).ifPresent(p -> {
                try {
                    Path dir = Path.of(p).toAbsolutePath().getParent();
                    var view = Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class);
                    var lookup = dir.getFileSystem().getUserPrincipalLookupService();
                    view.setOwner(lookup.lookupPrincipalByName(account.name()));
                    Files.setOwner(Path.of(p), lookup.lookupPrincipalByName(account.name()));
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Could not hand {} to {}: {}", p, account.name(), e.toString());
                }
            });
            Privileges.dropTo(account, driver.controlsSystemClock());
        });
    }

    /** Tells systemd we are up (Type=notify); nothing without $NOTIFY_SOCKET. */
    void notifyReady() {
        if (notify != null && notify.enabled()) {
            notify.ready();
            notify.status("Serving time");
        }
    }

    private List<InetAddress> bindAddresses(IpAddress v4, IpAddress v6) throws DaemonException {
        List<InetAddress> out = new ArrayList<>();
        try {
            if (!opts.ipv6Only()) out.add(InetAddress.getByAddress(v4.toBytes()));
            if (!opts.ipv4Only() && ipv6Available()) out.add(InetAddress.getByAddress(v6.toBytes()));
        } catch (java.net.UnknownHostException e) {
            throw new DaemonException("bad bind address: " + e.getMessage());
        }
        return out;
    }

    private static boolean ipv6Available() {
        return Files.exists(Path.of("/proc/net/if_inet6"));
    }

    private void addSource(Directive.NtpSource s) {
        addSource(s, ConfigMapping.sourceOptions(cfg, s.options()).withAuth(s.options().nts() ? ntsAuth(s)
                : org.jchrony.auth.SourceAuth.of(s.options().keyId().orElse(0L), keys, s.options().version().isPresent())));
    }

    /**
     * NTS client for {@code server NAME nts}: NTS-KE on the core loop, the server's certificate
     * checked against the source's {@code certset} (set 0 also holds the system's CAs unless
     * {@code nosystemcert}).
     */
    private org.jchrony.auth.SourceAuth ntsAuth(Directive.NtpSource s) {
        long set = s.options().certSet();
        org.jchrony.net.NtsKeClient ntsKeClient = ntsKeClients.get(set);
        if (ntsKeClient == null) {
            try {
                var nts = cfg.nts();
                ntsKeClient = new org.jchrony.net.NtsKeClient(coreGroup, org.jchrony.nts.NtsTls.clientContext(
                        nts.trustedCerts().stream().filter(t -> t.setId() == set).map(t -> Path.of(t.path())).toList(),
                        nts.noSystemCert() || set != 0));
                ntsKeClients.put(set, ntsKeClient);
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                // never unauthenticated: the source stays NTS and cannot get keys
                LOG.error("Could not load NTS trusted certificates : {}", e.getMessage());
            }
        }
        NtsSourceClient client = new NtsSourceClient(s.name(), s.options().ntsPort(), ntsKeClient, realtime,
                cfg.nts().refreshSeconds(), random, cfg.nts().dumpDir().filter(d -> !d.isEmpty()).map(Path::of).orElse(null),
                this::resolve);
        opened.add(client::save);
        return org.jchrony.auth.SourceAuth.nts(client);
    }

    private void addSource(Directive.NtpSource s, org.jchrony.source.SourceOptions configured) {
        // chronyd -q/-Q measure at once
        var o = opts.oneShot() ? configured.withIburst(true) : configured;
        InetAddress literal = IpAddress.parse(s.name()).map(ip -> {
            try {
                return InetAddress.getByAddress(ip.toBytes());
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }).orElse(null);
        switch (s.type()) {
            case POOL -> sources.addPool(s.name(), o);
            case PEER -> {
                if (literal != null) sources.addPeer(s.name(), new SourceAddress(literal, o.port()), o);
                else resolve(s.name(), addrs -> {
                    if (!addrs.isEmpty()) sources.addPeer(s.name(), new SourceAddress(addrs.getFirst(), o.port()), o);
                });
            }
            case SERVER -> {
                if (literal != null) sources.addServer(s.name(), new SourceAddress(literal, o.port()), o);
                else sources.addServerByName(s.name(), o);
            }
        }
    }

    /** Blocking DNS on the resolver thread; the answer is handed back on the core loop. */
    private void resolve(String name, java.util.function.Consumer<List<InetAddress>> result) {
        var literal = IpAddress.parse(name);
        if (literal.isPresent()) {
            try {
                result.accept(List.of(InetAddress.getByAddress(literal.get().toBytes())));
                return;
            } catch (java.net.UnknownHostException e) {
                // not reached for a parsed literal
            }
        }
        if (resolver == null) {
            resolver = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "jchronyd-resolver");
                t.setDaemon(true);
                return t;
            });
        }
        resolver.execute(() -> {
            List<InetAddress> addrs;
            try {
                addrs = List.of(InetAddress.getAllByName(name)).stream()
                        .filter(a -> !(opts.ipv4Only() && !(a instanceof Inet4Address)))
                        .filter(a -> !(opts.ipv6Only() && a instanceof Inet4Address))
                        .toList();
            } catch (java.net.UnknownHostException e) {
                addrs = List.of();
            }
            List<InetAddress> found = addrs;
            coreLoop.execute(() -> result.accept(found));
        });
    }

    /**
     * Client side, as chronyd: without {@code acquisitionport} every request leaves from a new socket
     * with a random source port (RFC 9109), opened on the core loop and closed when its response has
     * been handled, when the next request to the same source replaces it, or after a timeout; with
     * {@code acquisitionport} one shared socket per address family, opened on first use.
     */
    private Transport transport() {
        java.util.Map<SourceAddress, ClientSocket> inFlight = new java.util.HashMap<>();
        opened.add(() -> {
            for (ClientSocket s : List.copyOf(inFlight.values())) s.close();
            inFlight.clear();
        });
        boolean perRequest = cfg.acquisitionPort().orElse(0) == 0;
        return (pkt, len, dst) -> {
            try {
                if (!perRequest) return clientSocketFor(dst.address(), null).send(pkt, len, dst.address(), dst.port());
                ClientSocket previous = inFlight.remove(dst);
                if (previous != null) previous.close(); // unanswered: its response would now be stale
                ClientSocket[] self = new ClientSocket[1];
                ClientSocket s = clientSocketFor(dst.address(), (in, inLength, peer, rx, out) -> {
                    // as chronyd: the socket stays open until a genuine answer (tests 1-3) arrives,
                    // so a spoofed or replayed datagram cannot shut out the real reply
                    if (deliverUpstream(in, inLength, peer, rx) && inFlight.remove(dst, self[0])) self[0].close();
                    return 0;
                });
                self[0] = s;
                inFlight.put(dst, s);
                coreLoop.schedule(() -> {
                    if (inFlight.remove(dst, s)) s.close();
                }, 8, TimeUnit.SECONDS);
                return s.send(pkt, len, dst.address(), dst.port());
            } catch (IOException e) {
                LOG.debug("Could not send to {}: {}", dst, e.getMessage());
                ClientSocket s = inFlight.remove(dst);
                if (s != null) s.close();
                return realtime.realtimeNanos();
            }
        };
    }

    /**
     * A client socket for a request to {@code dst}: with {@code oneShot} null the shared socket of
     * its address family (acquisitionport), else a new one on an ephemeral port whose datagrams go
     * to {@code oneShot}. Bound to {@code bindacqaddress}/{@code bindacqdevice}.
     */
    private ClientSocket clientSocketFor(InetAddress dst, org.jchrony.server.DatagramHandler oneShot) throws IOException {
        boolean v4 = dst instanceof Inet4Address;
        ClientSocket s = v4 ? client4 : client6;
        if (s != null && oneShot == null) return s;
        IpAddress bind = v4 ? cfg.bindAcqAddress4() : cfg.bindAcqAddress6();
        UdpSocketOptions so = new UdpSocketOptions(false, cfg.bindAcqDevice().orElse(null), cfg.dscp(), 0);
        InetAddress bindAddress = InetAddress.getByAddress(bind.toBytes());
        if (oneShot != null) return ClientSocket.open(coreLoop, bindAddress, 0, so, oneShot);
        int port = cfg.acquisitionPort().orElse(0);
        s = ClientSocket.open(coreLoop, bindAddress, port, so, this::onUpstreamDatagram);
        opened.add(s);
        if (v4) client4 = s;
        else client6 = s;
        return s;
    }

    private int onUpstreamDatagram(byte[] in, int inLength, PeerAddress peer, long rxRealtimeNanos, byte[] out) {
        deliverUpstream(in, inLength, peer, rxRealtimeNanos);
        return 0;
    }

    /** Hands a datagram from an upstream source to the sources; true if it was a genuine answer. */
    private boolean deliverUpstream(byte[] in, int inLength, PeerAddress peer, long rxRealtimeNanos) {
        try {
            InetAddress from = peer.family() == PeerAddress.INET4
                    ? InetAddress.getByAddress(java.util.Arrays.copyOf(peer.address(), 4))
                    : InetAddress.getByAddress(peer.address().clone());
            if (jumpWatch != null && !jumpWatch.admitResponse()) return false;
            boolean genuine = sources.onResponse(in, 0, inLength, rxRealtimeNanos, new SourceAddress(from, peer.port()));
            if (!upstreamLocalAddress.containsKey(from)) {
                byte[] local = java.util.Arrays.copyOf(peer.localAddress(), peer.family() == PeerAddress.INET4 ? 4 : 16);
                upstreamLocalAddress.put(from, InetAddress.getByAddress(local));
            }
            return genuine;
        } catch (java.net.UnknownHostException | RuntimeException e) {
            LOG.debug("Dropped upstream datagram: {}", e.toString());
            return false;
        }
    }

    /** The Unix command socket; a directory chronyd would refuse disables it, with chronyd's messages. */
    private void openUnixCommandSocket(Path path, CommandHandler commands) {
        try {
            UnixDatagramSocket sock = UnixDatagramSocket.openDaemonSocket(path, null, null);
            opened.add(sock);
            byte[] in = new byte[4096];
            byte[] out = new byte[4096];
            opened.add(FdWatch.register(coreLoop, sock.fd(), () -> {
                try {
                    sock.drain(commands, in, out, realtime::realtimeNanos);
                } catch (IOException e) {
                    LOG.debug("Command socket read failed: {}", e.getMessage());
                }
            }, null));
        } catch (IOException e) {
            LOG.error("{}", e.getMessage());
            LOG.error("Disabled command socket {}", path);
        }
    }

    private void readDriftfile() {
        if (cfg.driftFile().isEmpty()) return;
        driftfile = new Driftfile(Path.of(cfg.driftFile().get()));
        driftfile.read().ifPresentOrElse(d -> {
            sources.discipline().loadDrift(d);
            LOG.info("Frequency {} +/- {} ppm read from {}", String.format("%.3f", d.freqPpm()),
                    String.format("%.3f", d.skewPpm()), driftfile.path());
        }, () -> {
            // chronyd: an existing but unreadable/corrupt driftfile is reported (a missing one is not)
            if (java.nio.file.Files.exists(driftfile.path())) {
                LOG.warn("Could not read valid frequency and skew from driftfile {}", driftfile.path());
            }
        });
    }

    private void writeDriftfile() {
        if (driftfile == null || driver == null || sources == null) return;
        driftfile.save(sources.discipline().drift()); // logs one line on failure, keeps the old file
    }

    /** chronyd's check for steps of the system clock it did not make, once a second. */
    private void checkClockJump() {
        jumpWatch.check();
        scheduler.schedule(SNAPSHOT_REFRESH_NANOS, this::checkClockJump);
    }

    private void periodicDriftWrite() {
        if (sources.discipline().updates() > 0) writeDriftfile();
        scheduler.schedule(cfg.driftFileIntervalSeconds() * 1_000_000_000L, this::periodicDriftWrite);
    }

    private void refreshSnapshot() {
        publishSnapshot();
        scheduler.schedule(SNAPSHOT_REFRESH_NANOS, this::refreshSnapshot);
    }

    /**
     * Publishes what the server answers with: the reference when synchronised, {@code local}
     * when configured and not synchronised, else unsynchronised; plus the raw→served time
     * conversion (the virtual clock's correction with -x, the pending slew otherwise).
     */
    private void publishSnapshot() {
        ReferenceState r = reference;
        DaemonCommandTarget.LocalSettings l = local;
        ServerSnapshot s;
        if (r.synchronised()) {
            s = ServerSnapshot.synchronised(r.leap(), r.stratum(), r.refId(), r.refTimeNanos(), r.rootDelaySeconds(),
                    r.rootDispersionSeconds(), r.dispersionRatePpm() * 1e-6, precisionLog2);
        } else if (l.on()) {
            s = ServerSnapshot.localStratum(l.stratum(), precisionLog2);
        } else {
            s = ServerSnapshot.unsynchronised(precisionLog2);
        }
        if (driver != null) {
            long base = driver.readRawNanos();
            double offset = driver.offsetCorrectionSeconds(base);
            double rate = driver.offsetCorrectionSeconds(base + SNAPSHOT_REFRESH_NANOS) - offset;
            rate /= SNAPSHOT_REFRESH_NANOS * 1e-9;
            if (smoother != null && smoother.active()) {
                // smoothtime: clients get the smoothed time, with chronyd's reference id 127.127.1.255
                double smooth = smoother.offsetSeconds(base);
                offset += smooth;
                rate += (smoother.offsetSeconds(base + SNAPSHOT_REFRESH_NANOS) - smooth) / (SNAPSHOT_REFRESH_NANOS * 1e-9);
                if (!smoother.leapOnly()) {
                    s = new ServerSnapshot(s.leap(), s.stratum(), 0x7F7F01FF, s.referenceTimeNanos(), s.rootDelaySeconds(),
                            s.rootDispersionSeconds(), s.dispersionRate(), s.precisionLog2(), s.synchronised(),
                            s.localReference(), s.offsetSeconds(), s.baseRawNanos(), s.rate(), s.monoOffsetSeconds(),
                            s.monoEpoch());
                }
            }
            if (offset != 0 || rate != 0) s = s.withCorrection(offset, base, rate);
        }
        snapshots.publish(s);
    }

    /** Whether the clock is synchronised to a source now. */
    boolean synchronised() {
        return reference.synchronised();
    }

    /** Local stratum settings (for reports when not synchronised). */
    DaemonCommandTarget.LocalSettings local() {
        return local;
    }

    @Override
    public void close() {
        if (coreLoop != null && !coreLoop.isShutdown()) {
            var done = coreLoop.submit(() -> {
                dumpSourcesAtExit();
                if (sources != null) sources.stop();
                writeDriftfile();
                for (int i = opened.size() - 1; i >= 0; i--) {
                    try {
                        opened.get(i).close();
                    } catch (Exception e) {
                        LOG.debug("close: {}", e.toString());
                    }
                }
                opened.clear();
            });
            done.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (serverGroup != null) serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        if (coreGroup != null) coreGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        if (resolver != null) resolver.shutdownNow();
    }

    /**
     * chronyd -q/-Q: after the first clock update, log "System clock wrong by X seconds" as
     * chronyd does and call {@code done}.
     */
    void onFirstUpdate(Runnable done) throws DaemonException {
        onCore(() -> sources.addReferenceListener(new ReferenceListener() {
            private boolean fired;

            @Override
            public void referenceUpdated(ReferenceState state) {
                if (fired || !state.synchronised()) return;
                fired = true;
                double offset = sources.tracking().lastOffsetSeconds();
                String how = opts.printOffsetOnce() || opts.noClockControl() ? "ignored" : "step";
                LOG.info("System clock wrong by {} seconds ({})", String.format("%.6f", -offset), how);
                done.run();
            }
        }));
    }

    /** For chronyd -q/-Q: the source manager, to watch for the first clock update. */
    SourceManager sources() {
        return sources;
    }

    Scheduler scheduler() {
        return scheduler;
    }
}
