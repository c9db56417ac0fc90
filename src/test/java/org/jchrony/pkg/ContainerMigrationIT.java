package org.jchrony.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Switching a Debian 12 host from chrony to jchrony and back, under a real systemd (see
 * {@link PkgContainer}; root cached in /var/cache/jchrony-test-root-chrony, debootstrapped with
 * chrony installed and enabled). dpkg removes chrony in favour of jchrony (Conflicts +
 * Replaces); the host's chrony.conf stays as it was; chronyd/chronyc and chronyd.service lead
 * to jchrony; removing jchrony lets chrony come back with its own alias.
 *
 * <p>chrony.service never runs in the container (ConditionCapability=CAP_SYS_TIME, which nspawn
 * withholds); /etc/default/chrony gets {@code -x} before anything can start.
 */
@Tag("system")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerMigrationIT {
    private static final Path ROOT = Path.of(System.getProperty("jchrony.testRootChrony",
            "/var/cache/jchrony-test-root-chrony"));
    private static final Path LOGS = Path.of("target/container-test/migration");

    private static Path deb;
    private static PkgContainer container;
    private static String chronyConfSum;

    @BeforeAll
    static void bootContainer() throws Exception {
        PkgContainer.assumeAvailable();
        deb = Path.of(System.getProperty("jchrony.deb", "target/jchrony_0.1.0_amd64.deb")).toAbsolutePath();
        assertThat(deb).as("built by mvn package").exists();
        container = PkgContainer.boot(ROOT, "systemd,systemd-sysv,dbus,chrony", deb.getParent(), LOGS);
    }

    @AfterAll
    static void stopContainer() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void chronyIsThereBefore() {
        assertThat(status("chrony")).isEqualTo("install ok installed");
        assertThat(container.inside(10, "readlink /etc/systemd/system/chronyd.service").output().trim())
                .isEqualTo("/lib/systemd/system/chrony.service");
        PkgProcess.Result sum = container.inside(10, "sha256sum /etc/chrony/chrony.conf");
        assertThat(sum.exitCode()).as(sum.output()).isZero();
        chronyConfSum = sum.output().trim();
    }

    @Test
    @Order(2)
    void installingJchronyReplacesChronyAndKeepsItsConfiguration() {
        PkgProcess.Result prep = container.inside(30, String.join("\n",
                "set -e",
                "printf 'DAEMON_OPTS=\"-x\"\\n' > /etc/default/chrony",
                "mkdir -p /etc/systemd/system/jchronyd.service.d",
                "printf '[Unit]\\nConditionCapability=\\n[Service]\\nTimeoutStartSec=30s\\n' "
                        + "> /etc/systemd/system/jchronyd.service.d/jchrony-test.conf"));
        assertThat(prep.exitCode()).as(prep.output()).isZero();

        PkgProcess.Result install = container.inside(180, "dpkg -i /mnt/jchrony/" + deb.getFileName());
        container.save("dpkg-install.log", install.output());
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(install.output()).containsIgnoringCase("removing chrony");

        assertThat(status("chrony")).as("chrony removed, its conffiles kept").endsWith(" ok config-files");
        assertThat(status("jchrony")).isEqualTo("install ok installed");
        assertThat(container.inside(10, "sha256sum /etc/chrony/chrony.conf").output().trim())
                .as("the host's chrony.conf is untouched").isEqualTo(chronyConfSum);
        assertThat(container.inside(10, "readlink -f /usr/sbin/chronyd").output().trim()).isEqualTo("/usr/sbin/jchronyd");
        assertThat(container.inside(10, "readlink -f /usr/bin/chronyc").output().trim()).isEqualTo("/usr/bin/jchronyc");
        assertThat(container.inside(10, "readlink /etc/systemd/system/chronyd.service").output().trim())
                .as("chrony's leftover alias replaced by ours").isEqualTo("/lib/systemd/system/jchronyd.service");
        assertThat(container.inside(10, "systemctl show -p Id --value chronyd.service").output().trim())
                .isEqualTo("jchronyd.service");
        assertThat(container.inside(10, "systemctl is-enabled jchronyd.service").output().trim()).isEqualTo("enabled");
        assertThat(container.inside(10, "getent passwd _chrony").exitCode()).as("chrony's user reused").isZero();
    }

    @Test
    @Order(3)
    void debiansOwnChronycTalksToJchronydOverTheUnixSocket() throws Exception {
        Assumptions.assumeTrue(PkgProcess.onPath("/usr/bin/chronyc"), "no host chronyc (Debian's chrony 4.3) to copy in");
        // The real chronyc of this Debian release, run inside: its libraries are still there
        // (chrony's dependencies stay installed), and its socket path is the container's.
        container.copyIn(Path.of("/usr/bin/chronyc"), "/usr/local/bin/chronyc-debian");
        assertThat(container.inside(10, "/usr/local/bin/chronyc-debian -v").output()).contains("chronyc (chrony) version");
        container.inside(60, "systemctl restart jchronyd.service");
        assertThat(container.waitForUnitState("jchronyd.service", 30)).as("jchronyd.service").isEqualTo("active");
        for (String command : new String[] {"tracking", "sources", "sourcestats"}) {
            PkgProcess.Result r = container.inside(30, "/usr/local/bin/chronyc-debian -n -h /run/chrony/chronyd.sock " + command);
            assertThat(r.exitCode()).as("Debian chronyc " + command + ": " + r.output()).isZero();
        }
        assertThat(container.inside(30, "/usr/local/bin/chronyc-debian -n -h /run/chrony/chronyd.sock tracking").output())
                .contains("Reference ID").contains("Stratum");
    }

    @Test
    @Order(4)
    void chronyComesBackAfterJchronyIsRemoved() {
        PkgProcess.Result remove = container.inside(120, "dpkg -r jchrony");
        container.save("dpkg-remove.log", remove.output());
        assertThat(remove.exitCode()).as(remove.output()).isZero();

        PkgProcess.Result chrony = container.inside(180, "dpkg -i /var/cache/apt/archives/chrony_*.deb");
        container.save("dpkg-reinstall-chrony.log", chrony.output());
        assertThat(chrony.exitCode()).as(chrony.output()).isZero();
        assertThat(status("chrony")).isEqualTo("install ok installed");
        assertThat(container.inside(10, "readlink /etc/systemd/system/chronyd.service").output().trim())
                .as("chrony's own alias again").isEqualTo("/lib/systemd/system/chrony.service");
        assertThat(container.inside(10, "systemctl is-enabled chrony.service").output().trim()).isEqualTo("enabled");
        assertThat(container.inside(10, "readlink -f /usr/sbin/chronyd").output().trim()).isEqualTo("/usr/sbin/chronyd");
        assertThat(container.inside(10, "sha256sum /etc/chrony/chrony.conf").output().trim()).isEqualTo(chronyConfSum);
    }

    private static String status(String pkg) {
        return container.inside(10, "dpkg-query -W -f='${Status}' " + pkg).output().trim();
    }
}
