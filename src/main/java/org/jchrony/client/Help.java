package org.jchrony.client;

/** Legends printed by {@code sources -v}, {@code sourcestats -v}, etc. (chronyc's layout), and our help. */
final class Help {
    private Help() {}

    static final String SOURCES_LEGEND = """

              .-- Source mode  '^' = server, '=' = peer, '#' = local clock.
             / .- Source state '*' = current best, '+' = combined, '-' = not combined,
            | /             'x' = may be in error, '~' = too variable, '?' = unusable.
            ||                                                 .- xxxx [ yyyy ] +/- zzzz
            ||      Reachability register (octal) -.           |  xxxx = adjusted offset,
            ||      Log2(Polling interval) --.      |          |  yyyy = measured offset,
            ||                                \\     |          |  zzzz = estimated error.
            ||                                 |    |           \\
            """;

    static final String SOURCESTATS_LEGEND = """
                                         .- Number of sample points in measurement set.
                                        /    .- Number of residual runs with same sign.
                                       |    /    .- Length of measurement set (time).
                                       |   |    /      .- Est. clock freq error (ppm).
                                       |   |   |      /           .- Est. error in freq.
                                       |   |   |     |           /         .- Est. offset.
                                       |   |   |     |          |          |   On the -.
                                       |   |   |     |          |          |   samples. \\
                                       |   |   |     |          |          |             |
            """;

    static final String AUTHDATA_LEGEND = """
                                         .- Auth. mechanism (NTS, SK - symmetric key)
                                        |   Key length -.  Cookie length (bytes) -.
                                        |       (bits)  |  Num. of cookies --.    |
                                        |               |  Key est. attempts  |   |
                                        |               |           |         |   |
            """;

    static final String SELECTDATA_LEGEND = """
              . State: N - noselect, s - unsynchronised, M - missing samples,
             /         d/D - large distance, ~ - jittery, w/W - waits for others,
            |          S - stale, O - orphan, T - not trusted, P - not preferred,
            |          U - waits for update,, x - falseticker, + - combined, * - best.
            |   Effective options   ---------.  (N - noselect, P - prefer
            |   Configured options  ----.     \\  T - trust, R - require)
            |   Auth. enabled (Y/N) -.   \\     \\     Offset interval --.
            |                        |    |     |                       |
            """;

    /**
     * The {@code help} command: chronyc's sections, command syntax and two-column layout (the
     * syntax padded to 28 columns, or alone on its line when longer); the descriptions are ours.
     * An empty description marks a section title; an empty pair a blank separator line.
     */
    private static final String[][] COMMANDS = {
        {"System clock:", ""},
        {"tracking", "Show the state of the system clock"},
        {"makestep", "Step the clock now by the remaining correction"},
        {"makestep <threshold> <updates>", "Set when the clock may be stepped automatically"},
        {"maxupdateskew <skew>", "Set the largest skew that may update the frequency"},
        {"waitsync [<max-tries> [<max-correction> [<max-skew> [<interval>]]]]", "Wait for synchronisation within the limits"},
        {"", ""},
        {"Time sources:", ""},
        {"sources [-a] [-v]", "List the time sources"},
        {"sourcestats [-a] [-v]", "Show the statistics of each source's samples"},
        {"selectdata [-a] [-v]", "Show what source selection decided and why"},
        {"reselect", "Select the synchronisation source again"},
        {"reselectdist <dist>", "Set the reselection distance"},
        {"", ""},
        {"NTP sources:", ""},
        {"activity", "Count the NTP sources online and offline"},
        {"authdata [-a] [-v]", "Show the authentication of each source"},
        {"ntpdata [<address>]", "Show the last valid measurement of NTP sources"},
        {"add server <name> [options]", "Add an NTP server"},
        {"add pool <name> [options]", "Add a pool of NTP servers"},
        {"add peer <name> [options]", "Add an NTP peer"},
        {"delete <address>", "Remove a server or peer"},
        {"burst <n-good>/<n-max> [[<mask>/]<address>]", "Take a quick series of measurements"},
        {"maxdelay <address> <delay>", "Set the largest delay a sample may have"},
        {"maxdelayratio <address> <ratio>", "Set the largest ratio of delay to minimum delay"},
        {"maxdelaydevratio <address> <ratio>", "Set the largest ratio of delay change to deviation"},
        {"minpoll <address> <poll>", "Set the shortest polling interval"},
        {"maxpoll <address> <poll>", "Set the longest polling interval"},
        {"minstratum <address> <stratum>", "Set the lowest stratum the source is counted at"},
        {"offline [[<mask>/]<address>]", "Stop polling the sources in a subnet"},
        {"online [[<mask>/]<address>]", "Resume polling the sources in a subnet"},
        {"onoffline", "Put each source online or offline\n" + " ".repeat(28) + "as the network routes allow"},
        {"polltarget <address> <target>", "Set the number of samples to aim for"},
        {"refresh", "Resolve the source names again"},
        {"reload sources", "Read the *.sources files again"},
        {"sourcename <address>", "Show the name a source was configured with"},
        {"", ""},
        {"Manual time input:", ""},
        {"manual off|on|reset", "Refuse/accept settime, or forget its samples"},
        {"manual list", "List the settime samples"},
        {"manual delete <index>", "Forget one settime sample"},
        {"settime <time>", "Tell the daemon the time\n" + " ".repeat(28)
                + "(e.g. Nov 21, 2015 16:30:05 or 16:30:05)"},
        {"", ""},
        {"NTP access:", ""},
        {"accheck <address>", "Tell whether an address may use the NTP server"},
        {"clients [-p <packets>] [-k] [-r]", "List the clients the server has answered"},
        {"serverstats", "Show the NTP server's counters"},
        {"allow [<subnet>]", "Let a subnet use the NTP server"},
        {"allow all [<subnet>]", "Let a subnet and its subnets use the server"},
        {"deny [<subnet>]", "Refuse a subnet"},
        {"deny all [<subnet>]", "Refuse a subnet and its subnets"},
        {"local [options]", "Serve local time even when unsynchronised"},
        {"local off", "Serve time only when synchronised"},
        {"smoothtime reset|activate", "Restart or start the served-time smoothing"},
        {"smoothing", "Show the state of the served-time smoothing"},
        {"", ""},
        {"Monitoring access:", ""},
        {"cmdaccheck <address>", "Tell whether an address may send monitoring commands"},
        {"cmdallow [<subnet>]", "Let a subnet send monitoring commands"},
        {"cmdallow all [<subnet>]", "Let a subnet and its subnets send them"},
        {"cmddeny [<subnet>]", "Refuse monitoring commands from a subnet"},
        {"cmddeny all [<subnet>]", "Refuse them from a subnet and its subnets"},
        {"", ""},
        {"Real-time clock:", ""},
        {"rtcdata", "Show what is known about the RTC"},
        {"trimrtc", "Set the RTC from the system clock"},
        {"writertc", "Write the RTC parameters to their file"},
        {"", ""},
        {"Other daemon commands:", ""},
        {"cyclelogs", "Reopen the log files"},
        {"dump", "Write the sources' measurement histories to dumpdir"},
        {"rekey", "Read the key file again"},
        {"reset sources", "Forget all measurements"},
        {"shutdown", "Stop the daemon"},
        {"", ""},
        {"Client commands:", ""},
        {"dns -n|+n", "Print addresses / names"},
        {"dns -4|-6|-46", "Resolve names to IPv4 / IPv6 / both"},
        {"timeout <milliseconds>", "Set the first reply timeout"},
        {"retries <retries>", "Set how often a request is retried"},
        {"keygen [<id> [<type> [<bits>]]]", "Print a new key for the key file"},
        {"exit|quit", "Leave jchronyc"},
        {"help", "Print this list"},
        {"", ""},
    };

    static final String TEXT = format();

    private static String format() {
        StringBuilder b = new StringBuilder();
        for (String[] c : COMMANDS) {
            if (c[0].length() >= 28) b.append(c[0]).append('\n').append(" ".repeat(28));
            else b.append(c[0]).append(" ".repeat(28 - c[0].length()));
            b.append(c[1]).append('\n');
        }
        return b.toString();
    }
}
