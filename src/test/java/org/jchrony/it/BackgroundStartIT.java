package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jchronyd without -n/-d, as chronyd without -n: the command returns once the daemon has
 * bound its sockets and written its pid file (status 0), or with the daemon's error (status 1);
 * one JVM, in a session of its own, so it outlives the launcher and the launcher's terminal.
 */
class BackgroundStartIT {
    @TempDir Path dir;
    private int port;

    private Path config(String... extra) throws Exception {
        port = FreePorts.udp();
        Path conf = dir.resolve("chrony.conf");
        List<String> lines = JchronydProcess.minimalConfig(dir, port, extra);
        lines.add(1, "bindaddress 127.0.0.1");
        Files.write(conf, lines);
        return conf;
    }

    private long daemonPid() throws Exception {
        return Long.parseLong(Files.readString(dir.resolve("chronyd.pid")).trim());
    }

    /** One NTP client request to the daemon, answered within {@code timeoutMillis}? */
    private boolean answersNtp(int timeoutMillis) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(timeoutMillis);
            byte[] req = new byte[48];
            req[0] = 0x23; // LI 0, version 4, client
            s.send(new DatagramPacket(req, req.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[128], 128);
            s.receive(reply);
            return reply.getLength() >= 48 && (reply.getData()[0] & 7) == 4;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Processes (other than this JVM) whose command line mentions {@code needle}. */
    private static List<ProcessHandle> processesMentioning(String needle) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(h -> h.pid() != self)
                .filter(h -> cmdline(h.pid()).contains(needle))
                .toList();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
        } catch (Exception e) {
            return "";
        }
    }

    /** Field 6 of /proc/PID/stat: the session id. */
    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[3]);
    }

    @Test
    void returnsOnceInitialisedWithTheDaemonInOneJvm() throws Exception {
        Path conf = config();
        var r = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-f", conf.toString(), "-l", dir.resolve("d.log").toString()), 60);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEmpty();
        long pid = daemonPid();
        try {
            // Sockets are bound before the launcher returns: the first request is answered.
            assertThat(answersNtp(2000)).as("NTP answered right after the launcher returned").isTrue();
            List<ProcessHandle> procs = processesMentioning(conf.toString());
            assertThat(procs).as("processes running with this configuration").hasSize(1);
            ProcessHandle daemon = procs.get(0);
            assertThat(daemon.pid()).as("the pid file names the one process").isEqualTo(pid);
            assertThat(daemon.info().command().orElse("")).endsWith("/java");
            assertThat(cmdline(pid)).contains("org.jchrony.cli.JchronydMain");
            assertThat(sessionOf(pid)).as("the daemon leads a session of its own").isEqualTo(pid);
            assertThat(Files.readString(Path.of("/proc/" + pid + "/environ")))
                    .as("not a relaunched copy").doesNotContain("JCHRONY_DETACHED=1");
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1")).toString()).isEqualTo("/dev/null");
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/2")).toString()).isEqualTo("/dev/null");
        } finally {
            assertThat(JchronydProcess.terminate(pid, 10)).isTrue();
        }
        assertThat(dir.resolve("chronyd.pid")).doesNotExist();
        assertThat(Files.readString(dir.resolve("d.log"))).contains("chronyd exiting");
    }

    @Test
    void configErrorReturnsOneWithTheMessageOnce() throws Exception {
        Path conf = config("bogusdirective 1");
        var r = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-f", conf.toString()), 60);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("Fatal error : " + conf + ":9:").contains("bogusdirective");
        assertThat(r.stderr().lines().count()).as(r.stderr()).isEqualTo(1);
        assertThat(processesMentioning(conf.toString())).isEmpty();
        assertThat(dir.resolve("chronyd.pid")).doesNotExist();
    }

    @Test
    void portInUseReturnsOneWithTheMessage() throws Exception {
        Path conf = config();
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            var r = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-f", conf.toString()), 60);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).startsWith("Fatal error : ").contains("127.0.0.1:" + port).contains("EADDRINUSE");
        }
        assertThat(processesMentioning(conf.toString())).isEmpty();
    }

    @Test
    void commandLineErrorsAndForegroundModesStillRunInTheForeground() throws Exception {
        var bad = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-Z"), 60);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("invalid option -- 'Z'").contains("Usage:");
        var missing = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-f"), 60);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("option requires an argument -- 'f'");
        var help = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "--help"), 60);
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage:");
        Path conf = config();
        var print = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-p", "-f", conf.toString()), 60);
        assertThat(print.exitCode()).as(print.stderr()).isZero();
        assertThat(print.stdout()).contains("local stratum 10");
    }

    @Test
    void outlivesTheLauncherAndItsTerminalHangingUp() throws Exception {
        Path conf = config();
        // script(1) gives the launcher a pseudo-terminal as controlling terminal; when the launcher
        // exits, script closes the terminal and the kernel hangs up its session (SIGHUP).
        Path launcher = JchronydProcess.LAUNCHER;
        String command = launcher + " -x -f " + conf + " -l " + dir.resolve("d.log") + "; echo launcher-status=$?";
        Process script = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        script.getOutputStream().close();
        String out = new String(script.getInputStream().readAllBytes());
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("launcher-status=0");
        long pid = daemonPid();
        try {
            Thread.sleep(500); // time for a SIGHUP to be delivered and acted on
            assertThat(ProcessHandle.of(pid)).isPresent().get().matches(ProcessHandle::isAlive, "alive");
            assertThat(answersNtp(2000)).isTrue();
            // Not in the terminal's session, so no later hangup of it reaches the daemon either.
            assertThat(sessionOf(pid)).isEqualTo(pid);
            assertThat(ProcessHandle.of(pid).get().parent().map(ProcessHandle::pid).orElse(1L))
                    .as("re-parented, not a child of the launcher").isNotEqualTo(script.pid());
        } finally {
            assertThat(JchronydProcess.terminate(pid, 10)).isTrue();
        }
    }

    @Test
    void startsWithTheCallersStdoutClosed() throws Exception {
        Path conf = config();
        var r = JchronydProcess.run(Path.of("/bin/sh"), List.of("-c", "exec \"$0\" -x -f \"$1\" >&-",
                JchronydProcess.LAUNCHER.toString(), conf.toString()), 60);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        long pid = daemonPid();
        try {
            assertThat(answersNtp(2000)).isTrue();
        } finally {
            assertThat(JchronydProcess.terminate(pid, 10)).isTrue();
        }
    }
}
