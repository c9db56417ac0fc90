package org.jchrony.daemon;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jchrony.auth.NtsAuthenticator;
import org.jchrony.core.TimeSource;
import org.jchrony.net.NtsKeClient;
import org.jchrony.nts.NtsClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NTS for one {@code server ... nts} source, as chronyd's client: NTS-KE with the source's
 * address on {@code ntsport} (certificate checked for the source's name) when there are no keys
 * or cookies, after an NTS NAK, or when the keys are older than {@code ntsrefresh}; failed
 * attempts back off (2 s doubling up to 1024 s). An NTPv4 Server record naming another host
 * sends NTP there (an address, or a name resolved on the resolver thread before the first poll).
 *
 * <p>With {@code ntsdumpdir} the keys and cookies are kept across restarts in chronyd 4.3's files,
 * one per NTS-KE server address as chronyd keys them ({@code DIR/ADDRESS.nts}, e.g.
 * {@code 127.0.0.1.nts}, {@code ::1.nts}; format in {@link NtsClientSession#toChronydText}), so
 * switching from chronyd (or restarting) needs no NTS-KE: a file is read before the first
 * request to an address if it names this source and is not older than {@code ntsrefresh}, and
 * {@link #save()} writes them at exit, for this source and every pool member made by
 * {@link #forAnotherServer()}. jchrony's earlier own file ({@code jchrony-nts-NAME-PORT}) is still
 * read when there is no chronyd file, then removed. Core thread only.
 */
final class NtsSourceClient implements NtsAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");
    private static final long SECOND = 1_000_000_000L;

    private final String name;
    private final int kePort;
    private final NtsKeClient ke;
    private final TimeSource time;
    private final long refreshNanos;
    private final NtsClientSession session;
    private final List<Runnable> waiting = new ArrayList<>();

    private boolean running;
    private boolean resolving;
    /** Where NTP goes when the NTS-KE server named another host (null: the source's address). */
    private InetAddress ntpAddress;
    private final java.util.function.BiConsumer<String, java.util.function.Consumer<List<InetAddress>>> resolver;
    private long retryAtNanos;
    private int attempts;
    private long sessions;
    private long lastKeNanos;
    private int failures;

    private final java.nio.file.Path dumpFile;
    private java.nio.file.Path dumpDir;
    /** The NTS-KE server's address of the current keys (null before the first request). */
    private InetAddress keAddress;
    private InetAddress loadedFor;
    /** Pool members and replacements made by {@link #forAnotherServer()}, saved with this one. */
    private final List<NtsSourceClient> others = new ArrayList<>();

    /**
     * @param dumpDir {@code ntsdumpdir}, or null: keys and cookies are read from it at start (if
     *                not older than {@code ntsrefresh}) and written by {@link #save()}
     */
    NtsSourceClient(String name, int kePort, NtsKeClient ke, TimeSource time, long refreshSeconds, RandomGenerator random,
            java.nio.file.Path dumpDir, java.util.function.BiConsumer<String, java.util.function.Consumer<List<InetAddress>>> resolver) {
        this.resolver = resolver;
        this.dumpDir = dumpDir;
        this.dumpFile = dumpDir == null ? null
                : dumpDir.resolve("jchrony-nts-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + kePort);
        this.name = name;
        this.kePort = kePort;
        this.ke = ke;
        this.time = time;
        this.refreshNanos = refreshSeconds * SECOND;
        this.session = new NtsClientSession(random);
        this.random = random;
        load();
    }

    private void load() {
        if (dumpFile == null || !java.nio.file.Files.isRegularFile(dumpFile)) return;
        try {
            session.restore(java.nio.file.Files.readString(dumpFile)).ifPresent(v -> {
                lastKeNanos = v[0];
                sessions = v[1];
                String named = session.ntpServer();
                if (named != null && !named.equalsIgnoreCase(name)) {
                    ntpAddress = literal(named);
                    if (ntpAddress == null) session.reset(); // a host name: a new NTS-KE resolves it again
                }
                if (refreshNanos > 0 && time.realtimeNanos() - lastKeNanos > refreshNanos) session.reset();
            });
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("Could not read {} : {}", dumpFile, e.toString());
        }
    }

    private void dumpDirForOther(java.nio.file.Path dir) {
        dumpDir = dir;
    }

    /** chronyd's file for the NTS-KE server at {@code address}: {@code ntsdumpdir/ADDRESS.nts}. */
    static String chronydFileName(InetAddress address) {
        return org.jchrony.config.IpAddress.ofBytes(address.getAddress()) + ".nts";
    }

    /** Reads chronyd's file for {@code address} (once per address), unless keys are already there. */
    private void loadChronyd(InetAddress address) {
        if (dumpDir == null || address.equals(loadedFor)) return;
        loadedFor = address;
        if (session.ready() && address.equals(keAddress)) return;
        java.nio.file.Path f = dumpDir.resolve(chronydFileName(address));
        if (!java.nio.file.Files.isRegularFile(f)) {
            if (session.ready() && keAddress == null) keAddress = address; // from jchrony's earlier file
            return;
        }
        try {
            NtsClientSession loaded = new NtsClientSession(random);
            var dump = loaded.restoreChronyd(java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.US_ASCII));
            if (dump.isEmpty() || !dump.get().name().equals(name)) return;
            long ke = (long) (dump.get().lastKeSeconds() * SECOND);
            if (refreshNanos > 0 && time.realtimeNanos() - ke > refreshNanos) return;
            InetAddress ntp = literal(dump.get().ntpAddress());
            if (ntp == null) return;
            String again = loaded.toChronydText(name, dump.get().lastKeSeconds(), dump.get().ntpAddress(), dump.get().contextId());
            session.restoreChronyd(again);
            lastKeNanos = ke;
            sessions = Math.max(sessions, dump.get().contextId());
            keAddress = address;
            ntpAddress = ntp.equals(address) ? null : ntp;
            LOG.debug("Loaded {} NTS cookies for {} from {}", session.cookies(), name, f);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("Could not read {} : {}", f, e.toString());
        }
    }

    /**
     * Writes the keys and remaining cookies to {@code ntsdumpdir} in chronyd's files (at exit, as
     * chronyd), for this source and the others made from it, or removes a file with nothing left.
     */
    void save() {
        saveOwn();
        for (NtsSourceClient o : others) o.saveOwn();
    }

    private void saveOwn() {
        if (dumpDir == null) return;
        try {
            if (dumpFile != null) java.nio.file.Files.deleteIfExists(dumpFile);
            if (keAddress == null) return;
            java.nio.file.Path file = dumpDir.resolve(chronydFileName(keAddress));
            InetAddress ntp = ntpAddress != null ? ntpAddress : keAddress;
            String text = session.toChronydText(name, lastKeNanos / 1e9, org.jchrony.config.IpAddress.ofBytes(ntp.getAddress()).toString(),
                    Math.max(1, sessions));
            if (text == null) {
                java.nio.file.Files.deleteIfExists(file);
                return;
            }
            java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            java.nio.file.Files.deleteIfExists(tmp);
            java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            java.nio.file.Files.writeString(tmp, text, java.nio.charset.StandardCharsets.US_ASCII);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Could not save NTS cookies for {} : {}", name, e.getMessage());
        }
    }

    @Override
    public boolean prepare(InetAddress address, Runnable onReady) {
        loadChronyd(address);
        long now = time.realtimeNanos();
        if (session.ready() && refreshNanos > 0 && lastKeNanos != 0 && now - lastKeNanos > refreshNanos) session.reset();
        if (session.ready() && !resolving) return true;
        if (!waiting.contains(onReady)) waiting.add(onReady);
        if (running || resolving || now < retryAtNanos || ke == null) return false;
        running = true;
        attempts++;
        ke.exchange(address, name, kePort, NtsClientSession.keRequest(), r -> {
            running = false;
            String failure = switch (r) {
                case NtsKeClient.Result.Failure f -> f.reason();
                case NtsKeClient.Result.Response resp -> session.acceptKeResponse(resp.records(), resp.exporter()).orElse(null);
            };
            long t = time.realtimeNanos();
            if (failure != null) {
                failures++;
                retryAtNanos = t + Math.min(1024L, 1L << Math.min(10, failures)) * SECOND;
                LOG.warn("NTS-KE with {} ({}:{}) failed : {}", name, address.getHostAddress(), kePort, failure);
                return;
            }
            failures = 0;
            attempts = 0;
            sessions++;
            lastKeNanos = t;
            keAddress = address;
            ntpAddress = null;
            String named = session.ntpServer();
            if (named != null && !named.equalsIgnoreCase(name) && !named.equals(address.getHostAddress())) {
                // the NTPv4 Server record names another host: NTP goes there (as chronyd)
                InetAddress literal = literal(named);
                if (literal != null) {
                    ntpAddress = literal;
                } else if (resolver != null) {
                    resolving = true;
                    resolver.accept(named, addrs -> {
                        resolving = false;
                        if (addrs.isEmpty()) {
                            LOG.warn("Could not resolve NTP server {} named by NTS-KE server {}", named, name);
                            session.reset();
                            retryAtNanos = time.realtimeNanos() + 2 * SECOND;
                            return;
                        }
                        ntpAddress = addrs.getFirst();
                        fireReady();
                    });
                    return;
                }
            }
            fireReady();
        });
        return false;
    }

    private void fireReady() {
        List<Runnable> ready = List.copyOf(waiting);
        waiting.clear();
        ready.forEach(Runnable::run);
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public InetAddress ntpAddress(InetAddress sourceAddress) {
        return ntpAddress != null ? ntpAddress : sourceAddress;
    }

    private final RandomGenerator random;

    @Override
    public NtsAuthenticator forAnotherServer() {
        NtsSourceClient other = new NtsSourceClient(name, kePort, ke, time, refreshNanos / SECOND, random, null, resolver);
        other.dumpDirForOther(dumpDir);
        if (dumpDir != null) {
            if (others.size() >= 256) others.removeFirst();
            others.add(other);
        }
        return other;
    }

    @Override
    public int ntpPort() {
        return session.ntpPort();
    }

    @Override
    public int appendRequest(byte[] buf, int length) {
        return session.appendRequest(buf, length);
    }

    @Override
    public int checkResponse(byte[] buf, int off, int len) {
        return switch (session.checkResponse(buf, off, len)) {
            case NtsClientSession.OK -> OK;
            case NtsClientSession.NAK -> NAK;
            default -> BAD;
        };
    }

    @Override
    public Report report() {
        long ago = lastKeNanos == 0 ? -1 : Math.max(0, (time.realtimeNanos() - lastKeNanos) / SECOND);
        return new Report(sessions, attempts, ago, session.cookies(), session.cookieLength(), (int) session.naks());
    }
}
