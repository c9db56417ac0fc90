package org.jchrony.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * chronyd's command-line options, parsed. Field meanings follow chronyd(8).
 *
 * @param configFile   -f; null means the default (/etc/chrony/chrony.conf, else /etc/chrony.conf)
 * @param directives   trailing arguments: configuration lines that replace the file
 * @param debugLevel   number of -d flags (0 = none)
 * @param logLevel     -L (0 info, 1 warning, 2 error, 3 fatal; -1 debug)
 * @param timeoutSeconds -t; negative when not given
 */
public record DaemonOptions(
        boolean ipv4Only, boolean ipv6Only, Path configFile, boolean noDetach, int debugLevel,
        Path logFile, int logLevel, boolean printConfig, boolean setClockOnce, boolean printOffsetOnce,
        boolean reloadDumps, boolean restartMode, boolean setFromRtc, double timeoutSeconds, String user,
        boolean noRootCheck, int seccompLevel, int schedPriority, boolean lockMemory, boolean noClockControl,
        List<String> directives) {

    public DaemonOptions {
        directives = List.copyOf(directives);
    }

    /** -q or -Q: measure once and exit. */
    public boolean oneShot() {
        return setClockOnce || printOffsetOnce;
    }

    /** Stays in the foreground: -n, -d, or a one-shot mode. */
    public boolean foreground() {
        return noDetach || debugLevel > 0 || oneShot();
    }
}
