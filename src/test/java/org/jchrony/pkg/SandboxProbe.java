package org.jchrony.pkg;

import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jchrony.clock.LinuxTimex;
import org.jchrony.clock.Timex;
import org.jchrony.clock.TimexException;

/**
 * Run inside jchronyd.service's sandbox by {@link ContainerInstallIT} (ExecStart replaced by a
 * drop-in) to show the unit lets a JVM do what jchronyd needs: load Netty's epoll native
 * library, bind udp/123 as _chrony, write its state and runtime directories, call the kernel
 * clock through FFM (read-only), and nothing more. Prints one line per check.
 */
public final class SandboxProbe {
    private SandboxProbe() {}

    public static void main(String[] args) throws Exception {
        Epoll.ensureAvailability();
        System.out.println("probe epoll ok");
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 123));
            System.out.println("probe bind123 ok");
        }
        Files.writeString(Path.of("/var/lib/chrony/probe"), "x");
        Files.delete(Path.of("/var/lib/chrony/probe"));
        System.out.println("probe statedir ok");
        Files.writeString(Path.of("/run/chrony/probe"), "x");
        Files.delete(Path.of("/run/chrony/probe"));
        System.out.println("probe rundir ok");
        try {
            Files.writeString(Path.of("/etc/chrony/probe"), "x");
            System.out.println("probe etc WRITABLE");
        } catch (java.io.IOException e) {
            System.out.println("probe etc readonly ok");
        }
        LinuxTimex kernel = new LinuxTimex();
        try {
            Timex t = kernel.adjust(Timex.read()).timex();
            System.out.println("probe adjtimex ok tick=" + t.tickMicros());
        } catch (TimexException e) {
            // systemd-nspawn's own seccomp filter refuses clock calls to every process under the
            // container's systemd when CAP_SYS_TIME is withheld: not the unit's doing.
            System.out.println("probe adjtimex " + (e.isPermissionDenied() ? "eperm" : "errno " + e.errno()));
        }
        System.out.println("probe user=" + System.getProperty("user.name"));
    }
}
