package org.jchrony.daemon;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jchrony.config.DaemonConfig;
import org.jchrony.config.NtsSettings;
import org.jchrony.core.TimeSource;
import org.jchrony.net.NtsKeServer;
import org.jchrony.nts.NtsCookies;
import org.jchrony.nts.NtsKeServerExchange;
import org.jchrony.nts.NtsNtpServer;
import org.jchrony.nts.NtsServerKeys;
import org.jchrony.nts.NtsTls;
import org.jchrony.server.ClientLog;
import org.jchrony.server.NtsRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NTS server of the daemon, present when {@code ntsserverkey}/{@code ntsservercert} are
 * configured (as chronyd): the server keys (read from / saved to chronyd's {@code ntsdumpdir/ntskeys}
 * at start, on rotation and at exit, rotated every {@code ntsrotate} seconds counted from the last
 * rotation, also one before a restart), the NTS-KE server on {@code ntsport} on its own event loop thread
 * ("jchronyd-ntske"), and {@link #newNtpServer()} for each NTP responder thread.
 * {@code ntsprocesses} is accepted and ignored (one thread serves NTS-KE).
 */
final class NtsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");

    private final NtsServerKeys keys;
    private final IoEventLoopGroup group;
    private final NtsKeServer server;

    private final Path dumpDir;
    /** System.nanoTime() of the last key rotation (as chronyd, carried across restarts in ntskeys). */
    private final java.util.concurrent.atomic.AtomicLong rotatedAtNanos;

    private NtsService(NtsServerKeys keys, IoEventLoopGroup group, NtsKeServer server, Path dumpDir,
            java.util.concurrent.atomic.AtomicLong rotatedAtNanos) {
        this.dumpDir = dumpDir;
        this.rotatedAtNanos = rotatedAtNanos;
        this.keys = keys;
        this.group = group;
        this.server = server;
    }

    /** The NTS server, or null when no server key is configured or it cannot be loaded (logged). */
    static NtsService start(DaemonConfig cfg, ClientLog clientLog, TimeSource time, List<InetAddress> addresses, boolean ntpServing) {
        NtsSettings nts = cfg.nts();
        if (nts.serverKeyFiles().isEmpty() && nts.serverCertFiles().isEmpty()) return null;
        SSLContext tls;
        try {
            tls = NtsTls.serverContext(nts.serverCertFiles().stream().map(Path::of).toList(),
                    nts.serverKeyFiles().stream().map(Path::of).toList());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("Could not set NTS server credentials : {}", e.getMessage());
            return null;
        }
        SecureRandom random = new SecureRandom();
        Path dumpDir = nts.dumpDir().filter(d -> !d.isEmpty()).map(Path::of).orElse(null);
        NtsServerKeys keys = dumpDir == null ? null : NtsServerKeys.load(dumpDir).orElse(null);
        if (keys == null) {
            keys = NtsServerKeys.generate(random);
            save(keys, dumpDir, 0);
        }
        NtsServerKeys k = keys;
        var rotatedAt = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - (long) (keys.loadedAgeSeconds() * 1e9));
        IoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jchronyd-ntske"), EpollIoHandler.newFactory());
        try {
            String ntpServer = nts.ntpServer().orElse(null);
            int ntpPort = cfg.ntpPort();
            NtsKeServer server = nts.port() == 0 || !ntpServing ? null : NtsKeServer.open(group, addresses, nts.port(), tls,
                    () -> new NtsKeServerExchange(new NtsCookies(k, new SecureRandom()), ntpPort, ntpServer),
                    clientLog, time, Math.max(1, nts.maxConnections()));
            if (nts.rotateSeconds() > 0) {
                long period = nts.rotateSeconds();
                // the first rotation comes ntsrotate after the last one, also when that was before a restart
                long first = Math.max(1, Math.min(period, period - (long) k.loadedAgeSeconds()));
                group.next().scheduleAtFixedRate(() -> {
                    k.rotate(random);
                    rotatedAt.set(System.nanoTime());
                    save(k, dumpDir, 0);
                }, first, period, TimeUnit.SECONDS);
            }
            return new NtsService(keys, group, server, dumpDir, rotatedAt);
        } catch (IOException e) {
            LOG.error("{}", e.getMessage());
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            return null;
        }
    }

    private static void save(NtsServerKeys keys, Path dumpDir, double ageSeconds) {
        if (dumpDir == null) return;
        try {
            keys.save(dumpDir, ageSeconds);
        } catch (IOException e) {
            LOG.warn("Could not save NTS server keys to {} : {}", dumpDir, e.getMessage());
        }
    }

    /** A new NTS checker for one NTP responder thread. */
    NtsRequests newNtpServer() {
        return new NtsNtpServer(keys, new SecureRandom());
    }

    NtsServerKeys keys() {
        return keys;
    }

    /** The NTS-KE server (null without {@code ntsport}). */
    NtsKeServer keServer() {
        return server;
    }

    @Override
    public void close() {
        if (server != null) server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        // as chronyd at exit: the keys with the time since the last rotation
        save(keys, dumpDir, (System.nanoTime() - rotatedAtNanos.get()) / 1e9);
    }
}
