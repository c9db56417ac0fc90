package org.jchrony.cli;

/** The version line, in chronyd's format, listing only features this build really has. */
public final class Version {
    private Version() {}

    public static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    /**
     * Features as chronyd prints them, in its order: +CMDMON (chronyc protocol), +NTP (NTP server
     * and client), +PRIVDROP ({@code -u}/{@code user}), +ASYNCDNS, +NTS, +SECHASH (key types beyond
     * MD5), +IPV6. Everything chronyd can be built with that we do not have (reference clocks, the
     * RTC driver, seccomp, MS-SNTP signing) is listed with a minus, so scripts that grep for a
     * feature get an honest answer.
     */
    public static String features() {
        return "+CMDMON +NTP -REFCLOCK -RTC +PRIVDROP -SCFILTER -SIGND +ASYNCDNS +NTS +SECHASH +IPV6 -DEBUG";
    }

    public static String line(String program) {
        return program + " (jchrony) version " + version() + " (" + features() + ")";
    }
}
