package org.jchrony.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jchrony.cmdmon.Candm;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * jchronyc's command line, help, banner and protocol fallback compared with Debian's chronyc 4.3:
 * the same exit codes and getopt messages for bad options, the same command list and layout in
 * {@code help}, no GPL banner, and chronyc's switch to protocol version 5 with an old daemon.
 */
class JchronycCommandLineTest {
    private static final Path CHRONYC = Path.of("/usr/bin/chronyc");

    private record Result(int rc, String out, String err) {}

    private static Result ours(boolean terminal, String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = JchronycMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal);
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result ours(String... args) {
        return ours(false, "", args);
    }

    private static Result chronyc(String... args) throws IOException, InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(CHRONYC), "chronyc not installed");
        List<String> cmd = new ArrayList<>(List.of(CHRONYC.toString()));
        cmd.addAll(List.of(args));
        Path errFile = Files.createTempFile("chronyc-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            // chronyc names itself by argv[0]
            return new Result(p.exitValue(), out.replace(CHRONYC.toString(), "chronyc"),
                    Files.readString(errFile).replace(CHRONYC.toString(), "chronyc"));
        } finally {
            Files.deleteIfExists(errFile);
        }
    }

    @Test
    void badOptionsExitAndReportAsChronycDoes() throws Exception {
        String[][] cases = {{"-Z"}, {"--bogus"}, {"-p"}, {"-h"}, {"-n", "-x", "tracking"}, {"-nZ"}};
        for (String[] args : cases) {
            Result theirs = chronyc(args);
            Result ours = ours(args);
            String what = String.join(" ", args);
            assertThat(ours.rc()).as("exit code of %s", what).isEqualTo(theirs.rc()).isEqualTo(1);
            assertThat(ours.err()).as("stderr of %s", what).isEqualTo(theirs.err().replace("chronyc:", "jchronyc:"));
            assertThat(ours.out()).as("usage of %s", what).startsWith("Usage: jchronyc [OPTION]... [COMMAND]...\n\nOptions:\n");
            assertThat(theirs.out()).startsWith("Usage: chronyc [OPTION]... [COMMAND]...\n\nOptions:\n");
        }
    }

    @Test
    void helpAndVersionOptionsExitZeroAnywhere() throws Exception {
        for (String[] args : new String[][] {{"--help"}, {"-n", "tracking", "--help"}, {"-v"}, {"--version"}}) {
            Result theirs = chronyc(args);
            Result ours = ours(args);
            assertThat(ours.rc()).as(String.join(" ", args)).isEqualTo(theirs.rc()).isZero();
            assertThat(ours.err()).isEmpty();
        }
        assertThat(ours("--help").out()).startsWith("Usage: jchronyc [OPTION]...").contains("  -h HOST\t")
                .contains("  -p PORT\t").contains("  -v, --version\t").contains("      --help\t");
        assertThat(ours("-v").out()).startsWith("jchronyc (jchrony) version ");
    }

    @Test
    void helpListsChronycsCommandsInItsLayout() throws Exception {
        int port = FreePorts.udp(); // nothing listens: help needs no daemon
        Result theirs = chronyc("-h", "127.0.0.1", "-p", String.valueOf(port), "help");
        Result ours = ours("-h", "127.0.0.1", "-p", String.valueOf(port), "help");
        assertThat(ours.rc()).isEqualTo(theirs.rc()).isZero();
        String[] a = ours.out().split("\n", -1);
        String[] b = theirs.out().split("\n", -1);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(firstColumn(a[i])).as("line %d", i + 1).isEqualTo(firstColumn(b[i]));
            assertThat(a[i].isBlank()).as("line %d blank", i + 1).isEqualTo(b[i].isBlank());
            assertThat(a[i].length() > 28).as("line %d has a description", i + 1).isEqualTo(b[i].length() > 28);
        }
        assertThat(ours.out()).doesNotContain("Display system time information"); // our own words
    }

    @Test
    void commandExitCodesAndMessagesMatchChronyc() throws Exception {
        String port = String.valueOf(FreePorts.udp()); // no daemon: only client-side commands answer
        String[][] cases = {
            {"-h", "/nonexistent/chronyd.sock", "tracking"}, {"-h", "127.0.0.1", "-p", port, "foo"},
            {"-h", "127.0.0.1", "-p", port, "settime", "garbage"}, {"-h", "127.0.0.1", "-p", port, "quit"},
            {"-h", "127.0.0.1", "-p", port, "timeout", "10"}, {"-h", "127.0.0.1", "-p", port, "retries", "0"},
            {"-h", "127.0.0.1", "-p", port, "keygen", "5", "XYZ"}, {"-h", "127.0.0.1", "-p", port, "dns", "-n"},
            {"-h", "127.0.0.1", "-p", port, "dns", "-x"}, {"-h", "127.0.0.1", "-p", port, "-m", "dns -n", "foo"}};
        for (String[] args : cases) {
            Result theirs = chronyc(args);
            Result ours = ours(args);
            String what = String.join(" ", args);
            assertThat(ours.rc()).as("exit code of %s", what).isEqualTo(theirs.rc());
            assertThat(ours.out() + ours.err()).as("output of %s", what).isEqualTo(theirs.out() + theirs.err());
        }
    }

    /** The command column: up to column 28, or the whole line when the command is longer. */
    private static String firstColumn(String line) {
        if (line.length() <= 28) return line.stripTrailing();
        String head = line.substring(0, 28);
        return head.endsWith(" ") ? head.stripTrailing() : line;
    }

    @Test
    void interactiveBannerIsOursAndOnlyOnATerminal() {
        int port = FreePorts.udp();
        Result tty = ours(true, "quit\n", "-h", "127.0.0.1", "-p", String.valueOf(port));
        assertThat(tty.out()).startsWith("jchronyc (jchrony) version ").contains("MIT")
                .doesNotContain("GNU").doesNotContain("chrony comes with");
        assertThat(tty.rc()).isZero();
        Result pipe = ours(false, "quit\n", "-h", "127.0.0.1", "-p", String.valueOf(port));
        assertThat(pipe.out()).doesNotContain("jchronyc (jchrony) version");
        Result command = ours(true, "", "-h", "127.0.0.1", "-p", String.valueOf(port), "help");
        assertThat(command.out()).doesNotContain("jchronyc (jchrony) version");
    }

    /** A fake daemon that answers every request with a header of version {@code replyVersion}. */
    private static final class OldDaemon implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        final List<int[]> requests = new CopyOnWriteArrayList<>(); // {version, length}
        final Thread thread;

        OldDaemon(int replyVersion) throws IOException {
            thread = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[1024];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException e) {
                        return;
                    }
                    int version = buf[0] & 0xff;
                    requests.add(new int[] {version, p.getLength()});
                    byte[] reply = new byte[Candm.REPLY_HEADER];
                    int status = version == replyVersion ? 0 : 18; // STT_BADPKTVERSION
                    reply[0] = (byte) replyVersion;
                    reply[1] = (byte) Candm.PKT_TYPE_REPLY;
                    reply[4] = buf[4];
                    reply[5] = buf[5];
                    reply[7] = (byte) Candm.RPY_NULL;
                    reply[9] = (byte) status;
                    System.arraycopy(buf, 8, reply, 16, 4); // sequence
                    try {
                        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(2000);
        }
    }

    @Test
    void switchesToProtocolVersion5WithAnOldDaemon() throws Exception {
        try (OldDaemon d = new OldDaemon(5)) {
            Result r = ours("-h", "127.0.0.1", "-p", String.valueOf(d.port()), "-m", "dump", "cyclelogs");
            assertThat(r.out()).isEqualTo("200 OK\n200 OK\n");
            assertThat(r.rc()).isZero();
            assertThat(d.requests).hasSize(3);
            assertThat(d.requests.get(0)[0]).isEqualTo(6);
            assertThat(d.requests.get(0)[1]).isEqualTo(Candm.requestLength(Candm.REQ_DUMP));
            // resent at once as version 5, without padding; and version 5 from then on
            assertThat(d.requests.get(1)).containsExactly(5, Candm.REQUEST_HEADER + Candm.requestDataLength(Candm.REQ_DUMP));
            assertThat(d.requests.get(2)).containsExactly(5, Candm.REQUEST_HEADER + Candm.requestDataLength(Candm.REQ_CYCLELOGS));
        }
    }

    @Test
    void aVersion4MismatchIsReportedAsChronycDoes() throws Exception {
        try (OldDaemon d = new OldDaemon(4)) {
            Result ours = ours("-h", "127.0.0.1", "-p", String.valueOf(d.port()), "dump");
            Result theirs = chronyc("-h", "127.0.0.1", "-p", String.valueOf(d.port()), "dump");
            assertThat(ours.out()).isEqualTo(theirs.out()).isEqualTo("517 Protocol version mismatch\n");
            assertThat(ours.rc()).isEqualTo(theirs.rc()).isEqualTo(1);
        }
    }

    @Test
    void chronycAlsoSwitchesToVersion5() throws Exception {
        try (OldDaemon d = new OldDaemon(5)) {
            Result theirs = chronyc("-h", "127.0.0.1", "-p", String.valueOf(d.port()), "dump");
            assertThat(theirs.out()).isEqualTo("200 OK\n");
            assertThat(d.requests).hasSize(2);
            assertThat(d.requests.get(1)).containsExactly(5, Candm.REQUEST_HEADER + Candm.requestDataLength(Candm.REQ_DUMP));
        }
    }
}
