package org.jchrony.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses chronyd's command line exactly as chronyd's getopt string does: short options that
 * may be clustered ({@code -dd}, {@code -xn}), option arguments attached or separate
 * ({@code -fFILE}, {@code -f FILE}), {@code --version}/{@code --help}, and everything after
 * the options (or after {@code --}) taken as configuration directives.
 *
 * <p>A 60-line parser keeps the error messages identical to chronyd's (getopt's), which scripts
 * may match; jchronyc's command line ({@code client/JchronycMain}) is parsed the same way.
 * {@code -r} reloads the dumpdir files and {@code -s} restores the time from the driftfile's
 * modification time (see {@code daemon/DumpDirectory}, {@code daemon/InitialClockSet}).
 */
public final class CommandLine {

    /** What the command line asks for. */
    public sealed interface Parsed {
        record Run(DaemonOptions options) implements Parsed {}
        record PrintVersion() implements Parsed {}
        record PrintHelp() implements Parsed {}
        record Error(String message) implements Parsed {}
    }

    private static final String WITH_ARGUMENT = "flLtuFP";
    private static final String FLAGS = "46dnpqQrRsUmxvh";

    private CommandLine() {}

    public static Parsed parse(String[] args) {
        boolean v4 = false, v6 = false, noDetach = false, print = false, q = false, bigQ = false, r = false,
                bigR = false, s = false, bigU = false, m = false, x = false;
        int debug = 0, logLevel = 0, seccomp = 0, prio = 0;
        Path conf = null, logFile = null;
        double timeout = -1;
        String user = null;
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) { i++; break; }
            if (a.equals("--version")) return new Parsed.PrintVersion();
            if (a.equals("--help")) return new Parsed.PrintHelp();
            if (a.startsWith("--")) return new Parsed.Error("unrecognized option '" + a + "'");
            if (!a.startsWith("-") || a.length() == 1) break;
            for (int j = 1; j < a.length(); j++) {
                char c = a.charAt(j);
                if (WITH_ARGUMENT.indexOf(c) >= 0) {
                    String value;
                    if (j + 1 < a.length()) value = a.substring(j + 1);
                    else if (i + 1 < args.length) value = args[++i];
                    else return new Parsed.Error("option requires an argument -- '" + c + "'");
                    try {
                        switch (c) {
                            case 'f' -> conf = Path.of(value);
                            case 'l' -> logFile = Path.of(value);
                            case 'L' -> logLevel = Integer.parseInt(value.trim());
                            case 't' -> timeout = Double.parseDouble(value.trim());
                            case 'u' -> user = value;
                            case 'F' -> seccomp = Integer.parseInt(value.trim());
                            case 'P' -> prio = Integer.parseInt(value.trim());
                            default -> throw new IllegalStateException();
                        }
                    } catch (NumberFormatException e) {
                        return new Parsed.Error("invalid argument '" + value + "' for -" + c);
                    }
                    break;
                }
                if (FLAGS.indexOf(c) < 0) return new Parsed.Error("invalid option -- '" + c + "'");
                switch (c) {
                    case '4' -> v4 = true;
                    case '6' -> v6 = true;
                    case 'd' -> debug++;
                    case 'n' -> noDetach = true;
                    case 'p' -> print = true;
                    case 'q' -> q = true;
                    case 'Q' -> bigQ = true;
                    case 'r' -> r = true;
                    case 'R' -> bigR = true;
                    case 's' -> s = true;
                    case 'U' -> bigU = true;
                    case 'm' -> m = true;
                    case 'x' -> x = true;
                    case 'v' -> { return new Parsed.PrintVersion(); }
                    case 'h' -> { return new Parsed.PrintHelp(); }
                    default -> throw new IllegalStateException();
                }
            }
        }
        List<String> directives = new ArrayList<>();
        for (; i < args.length; i++) directives.add(args[i]);
        return new Parsed.Run(new DaemonOptions(v4, v6, conf, noDetach, debug, logFile, logLevel, print, q, bigQ, r,
                bigR, s, timeout, user, bigU, seccomp, prio, m, x, directives));
    }

    /** Usage text in chronyd's layout, with our defaults. */
    public static String usage(String program) {
        return "Usage: " + program + " [OPTION]... [DIRECTIVE]...\n\n"
                + "Options:\n"
                + "  -4\t\tUse IPv4 addresses only\n"
                + "  -6\t\tUse IPv6 addresses only\n"
                + "  -f FILE\tSpecify configuration file (/etc/chrony/chrony.conf)\n"
                + "  -n\t\tDon't run as daemon\n"
                + "  -d\t\tDon't run as daemon and log to stderr\n"
                + "  -l FILE\tLog to file\n"
                + "  -L LEVEL\tSet logging threshold (0)\n"
                + "  -p\t\tPrint configuration and exit\n"
                + "  -q\t\tSet clock and exit\n"
                + "  -Q\t\tLog offset and exit\n"
                + "  -r\t\tReload dump files\n"
                + "  -R\t\tAdapt configuration for restart\n"
                + "  -s\t\tSet clock from RTC\n"
                + "  -t SECONDS\tExit after elapsed time\n"
                + "  -u USER\tSpecify user (_chrony)\n"
                + "  -U\t\tDon't check for root\n"
                + "  -F LEVEL\tSet system call filter level (accepted, not available on the JVM)\n"
                + "  -P PRIORITY\tSet process priority (0)\n"
                + "  -m\t\tLock memory (accepted, not available on the JVM)\n"
                + "  -x\t\tDon't control clock\n"
                + "  -v, --version\tPrint version and exit\n"
                + "  -h, --help\tPrint usage and exit\n";
    }
}
