package org.jchrony.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jchrony.client.JchronycMain;

/**
 * The AOT cache training run (JEP 483/514) made at package time ({@code pom.xml}, docs/INSTALL.md):
 * exercises what an installed jchronyd does in its first second so that those classes, linked
 * call sites and profiles are in the cache. It runs jchronyd {@code -d -x} (virtual clock) in
 * this JVM on free loopback ports with a source pointing at its own NTP port, answers NTP
 * client requests for {@code seconds} after the first reply, answers jchronyc over the Unix command
 * socket and UDP, then exits (jchronyd's shutdown hook stops it; its {@code -t} is only a safety net).
 * Nothing leaves 127.0.0.1; files go to a temporary directory that is removed.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=... -cp jchrony.jar org.jchrony.cli.AotTraining [seconds]}
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        org.jchrony.daemon.Logging.skipAutoConfiguration();
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        Path dir = Files.createTempDirectory("jchrony-aot-");
        int rc;
        try {
            rc = train(dir, seconds);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(rc);
    }

    private static int train(Path dir, double seconds) throws Exception {
        int ntpPort = freePort();
        int cmdPort = freePort();
        Path sock = dir.resolve("chronyd.sock");
        Path conf = dir.resolve("chrony.conf");
        Files.writeString(conf, String.join("\n",
                "server 127.0.0.1 port " + ntpPort + " iburst minpoll 0 maxpoll 0",
                "port " + ntpPort, "bindaddress 127.0.0.1", "allow 127.0.0.1", "local stratum 10",
                "cmdport " + cmdPort, "bindcmdaddress 127.0.0.1", "bindcmdaddress " + sock,
                "pidfile " + dir.resolve("chronyd.pid"), "driftfile " + dir.resolve("drift"), ""));
        // An existing driftfile, as on an installed host: its reading is on the start path.
        Files.writeString(dir.resolve("drift"), "0.000000 1000.000000\n");
        Thread daemon = new Thread(() -> JchronydMain.run(
                new String[] {"-d", "-x", "-t", "50", "-f", conf.toString()}, System.out, System.err),
                "aot-training-daemon");
        daemon.setDaemon(true);
        daemon.start();
        int answered = ntpClient(ntpPort, seconds);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        for (String[] cmd : new String[][] {{"-h", sock.toString(), "tracking"}, {"-h", sock.toString(), "sources"},
                {"-h", "127.0.0.1", "-p", String.valueOf(cmdPort), "tracking"}, {"-h", sock.toString(), "-n", "sourcestats"}}) {
            JchronycMain.run(cmd, out, out, System.in);
        }
        System.err.println("AOT training: " + answered + " NTP replies");
        return answered > 0 ? 0 : 1;
    }

    /** Sends NTP client requests to 127.0.0.1:port until {@code seconds} after the first reply (at most 40 s); returns how many were answered. */
    private static int ntpClient(int port, double seconds) throws IOException {
        byte[] request = new byte[48];
        request[0] = 0x23; // LI 0, version 4, mode 3
        byte[] reply = new byte[128];
        int answered = 0;
        long end = System.nanoTime() + 40_000_000_000L;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5);
            while (System.nanoTime() < end) {
                s.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
                try {
                    DatagramPacket p = new DatagramPacket(reply, reply.length);
                    s.receive(p);
                    if (p.getLength() >= 48 && answered++ == 0) {
                        end = Math.min(end, System.nanoTime() + Math.round(seconds * 1e9));
                    }
                } catch (SocketTimeoutException e) {
                    // not up yet, or rate limited: keep going
                }
            }
        }
        return answered;
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
