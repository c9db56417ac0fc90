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

    static final String TEXT = """
            jchronyc accepts the commands of chronyc(1):
              System clock: tracking, makestep [threshold limit], maxupdateskew, waitsync, settime
              Time sources: sources [-a] [-v], sourcestats [-a] [-v], selectdata [-a] [-v], reselect,
                reselectdist, offline/online/onoffline [address], burst good/max [address]
              NTP sources: activity, authdata, ntpdata [address], sourcename, add server|pool|peer,
                delete, minpoll, maxpoll, maxdelay, maxdelayratio, maxdelaydevratio, minstratum, polltarget
              Manual time input: manual on|off|reset|list|delete N, settime TIME
              NTP access: accheck, allow, deny, clients [-p N] [-k] [-r], serverstats
              RTC: rtcdata, trimrtc, writertc
              Other daemon commands: cyclelogs, dump, rekey, reload sources, reset sources, shutdown,
                smoothing, smoothtime reset|activate, local [options] | local off, dfreq, doffset
              Client commands: dns -n|+n|-4|-6|-46, timeout MS, retries N, keygen, exit, quit, help
            """;
}
