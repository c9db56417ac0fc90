package org.jchrony.config;

/**
 * Defaults chronyd takes from its build configuration rather than from chrony.conf.
 *
 * @param pidFile default {@code pidfile}
 * @param commandSocket default Unix command socket ({@code bindcmdaddress /path})
 * @param user default {@code user}
 * @param hwclockFile default {@code hwclockfile} ("" = none)
 * @param rtcDevice default {@code rtcdevice}
 * @param configFile the file read when {@code -f} is not given
 */
public record BuildDefaults(String pidFile, String commandSocket, String user, String hwclockFile, String rtcDevice,
                            String configFile) {
    /** Debian's chrony package (checked against /usr/sbin/chronyd 4.3 on Debian). */
    public static final BuildDefaults DEBIAN = new BuildDefaults(
            "/run/chrony/chronyd.pid", "/run/chrony/chronyd.sock", "_chrony", "/etc/adjtime", "/dev/rtc",
            "/etc/chrony/chrony.conf");

    /** chrony's own configure defaults (RHEL/Fedora build with user "chrony"). */
    public static final BuildDefaults UPSTREAM = new BuildDefaults(
            "/var/run/chrony/chronyd.pid", "/var/run/chrony/chronyd.sock", "root", "", "/dev/rtc",
            "/etc/chrony.conf");
}
