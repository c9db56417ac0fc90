package org.jchrony.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lines chronyd 4.8 refuses, with the exact message we give. The wording follows chronyd's
 * own ("Could not parse X directive", "Invalid value N in X directive (min A, max B)", ...)
 * with the location moved to the front as {@code FILE:LINE:}.
 */
class BadInputTest {

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("foo bar", "Invalid directive foo"),
                Arguments.of("selectopts 1", "Invalid directive selectopts"),
                Arguments.of("server", "Invalid syntax for server directive"),
                Arguments.of("server a minpoll", "Invalid value in server directive (minpoll without a value)"),
                Arguments.of("server a minpoll x", "Invalid value in server directive (minpoll x)"),
                Arguments.of("server a maxpoll 33", "Invalid value in server directive (maxpoll 33)"),
                Arguments.of("server a polltarget 0", "Invalid value in server directive (polltarget 0)"),
                Arguments.of("server a version 5", "Invalid value in server directive (version 5)"),
                Arguments.of("server a version 0", "Invalid value in server directive (version 0)"),
                Arguments.of("server a port 65536", "Invalid value in server directive (port 65536)"),
                Arguments.of("server a minstratum 17", "Invalid value in server directive (minstratum 17)"),
                Arguments.of("server a key 0", "Invalid value in server directive (key 0)"),
                Arguments.of("server a key x", "Invalid value in server directive (key x)"),
                Arguments.of("server a extfield F325", "Invalid value in server directive (extfield F325)"),
                Arguments.of("server a maxdelay abc", "Invalid value in server directive (maxdelay abc)"),
                Arguments.of("pool p maxsources 0", "Invalid value in pool directive (maxsources 0)"),
                Arguments.of("server a foo", "Invalid option in server directive (foo)"),
                Arguments.of("server a minpoll 6x", "Invalid option in server directive (x)"),
                Arguments.of("peer a iburst bogus", "Invalid option in peer directive (bogus)"),
                Arguments.of("refclock", "Could not parse refclock directive"),
                Arguments.of("refclock PPS", "Could not parse refclock directive"),
                Arguments.of("refclock GPS /dev/gps0", "unknown refclock driver GPS"),
                Arguments.of("refclock pps /dev/pps0", "unknown refclock driver pps"),
                Arguments.of("refclock PPS /dev/pps0 foo", "Invalid option in refclock directive (foo)"),
                Arguments.of("refclock PPS /dev/pps0 refid TOOLONG", "Invalid value in refclock directive (refid TOOLONG)"),
                Arguments.of("refclock PPS /dev/pps0 poll", "Invalid value in refclock directive (poll without a value)"),
                Arguments.of("refclock SHM 0 stratum 16", "Invalid value in refclock directive (stratum 16)"),
                Arguments.of("port", "Missing arguments for port directive"),
                Arguments.of("port 1 2", "Too many arguments for port directive"),
                Arguments.of("port x", "Could not parse port directive"),
                Arguments.of("port 12x", "Could not parse port directive"),
                Arguments.of("port 70000", "Invalid value 70000 in port directive (min 0, max 65535)"),
                Arguments.of("cmdport -1", "Invalid value -1 in cmdport directive (min 0, max 65535)"),
                Arguments.of("dscp 64", "Invalid value 64 in dscp directive (min 0, max 63)"),
                Arguments.of("minsources 0", "Invalid value 0 in minsources directive (min 1, max 2147483647)"),
                Arguments.of("sched_priority 101", "Invalid value 101 in sched_priority directive (min 0, max 100)"),
                Arguments.of("ntsprocesses 1001", "Invalid value 1001 in ntsprocesses directive (min 0, max 1000)"),
                Arguments.of("ptpdomain 256", "Invalid value 256 in ptpdomain directive (min 0, max 255)"),
                Arguments.of("logbanner 99999999999",
                        "Invalid value 99999999999 in logbanner directive (min 0, max 2147483647)"),
                Arguments.of("logbanner 99999999999999999999", "Could not parse logbanner directive"),
                Arguments.of("maxupdateskew", "Missing arguments for maxupdateskew directive"),
                Arguments.of("maxupdateskew abc", "Could not parse maxupdateskew directive"),
                Arguments.of("MaxUpdateSkew 1 2", "Too many arguments for MaxUpdateSkew directive"),
                Arguments.of("rtcsync now", "Too many arguments for rtcsync directive"),
                Arguments.of("keyfile", "Missing arguments for keyfile directive"),
                Arguments.of("keyfile /a /b", "Too many arguments for keyfile directive"),
                Arguments.of("bindaddress foo.example.net", "Could not parse bindaddress directive"),
                Arguments.of("bindaddress 1.2.3.256", "Could not parse bindaddress directive"),
                Arguments.of("bindaddress 01.2.3.4", "Could not parse bindaddress directive"),
                Arguments.of("bindcmdaddress localhost", "Could not parse bindcmdaddress directive"),
                Arguments.of("allow 1.2.3.4/", "Could not parse allow directive"),
                Arguments.of("allow 1.2.3.4/x", "Could not parse allow directive"),
                Arguments.of("allow 1.2.3.4/-1", "Could not parse allow directive"),
                Arguments.of("allow 1.2.3.4/33", "Bad subnet in 1.2.3.4/33"),
                Arguments.of("cmdallow ::/129", "Bad subnet in ::/129"),
                Arguments.of("allow 256", "Could not parse allow directive"),
                Arguments.of("allow 1.2.3.4 5.6.7.8", "Could not parse allow directive"),
                Arguments.of("deny all 1.2 x", "Could not parse deny directive"),
                Arguments.of("allow host.example/24", "Could not parse allow directive"),
                Arguments.of("allow 1.2.3.4.5", "Could not parse allow directive"),
                Arguments.of("ratelimit interval", "Could not parse ratelimit directive"),
                Arguments.of("ratelimit interval 33", "Could not parse ratelimit directive"),
                Arguments.of("ratelimit foo 1", "Could not parse ratelimit directive"),
                Arguments.of("cmdratelimit kod 1", "Could not parse cmdratelimit directive"),
                Arguments.of("driftfile", "Could not parse driftfile directive"),
                Arguments.of("driftfile /d every 10", "Could not parse driftfile directive"),
                Arguments.of("driftfile /d interval", "Could not parse driftfile directive"),
                Arguments.of("makestep 1", "Missing arguments for makestep directive"),
                Arguments.of("makestep 1 x", "Could not parse makestep directive"),
                Arguments.of("makestep 1x 3", "Could not parse makestep directive"),
                Arguments.of("maxchange 1 2", "Missing arguments for maxchange directive"),
                Arguments.of("fallbackdrift 16", "Missing arguments for fallbackdrift directive"),
                Arguments.of("local stratum 16", "Invalid value in local directive (stratum 16)"),
                Arguments.of("local stratum 0", "Invalid value in local directive (stratum 0)"),
                Arguments.of("local foo", "Invalid option in local directive (foo)"),
                Arguments.of("local distance x", "Invalid value in local directive (distance x)"),
                Arguments.of("log foo", "Invalid log parameter foo"),
                Arguments.of("log Tracking", "Invalid log parameter Tracking"),
                Arguments.of("leapsecmode jump", "Could not parse leapsecmode directive"),
                Arguments.of("authselectmode strict", "Could not parse authselectmode directive"),
                Arguments.of("clientloglimit lots", "Could not parse clientloglimit directive"),
                Arguments.of("broadcast 30", "Could not parse broadcast directive"),
                Arguments.of("broadcast 30 bcast.example", "Could not parse broadcast directive"),
                Arguments.of("broadcast 30 192.168.1.255 123 x", "Could not parse broadcast directive"),
                Arguments.of("smoothtime 400", "Missing arguments for smoothtime directive"),
                Arguments.of("smoothtime 400 0.001 always", "Could not parse smoothtime directive"),
                Arguments.of("tempcomp /f 30 1 2", "Missing arguments for tempcomp directive"),
                Arguments.of("hwtimestamp", "Could not parse hwtimestamp directive"),
                Arguments.of("hwtimestamp eth0 rxfilter some", "Could not parse hwtimestamp directive"),
                Arguments.of("hwtimestamp eth0 bogus", "Could not parse hwtimestamp directive"),
                Arguments.of("mailonchange root", "Missing arguments for mailonchange directive"),
                Arguments.of("mailonchange root x", "Could not parse mailonchange directive"),
                Arguments.of("ntstrustedcerts x /path", "Could not parse ntstrustedcerts directive"),
                Arguments.of("ntsaeads 30 x", "Could not parse ntsaeads directive"),
                Arguments.of("opencommands sources reload", "Could not parse opencommands directive"),
                Arguments.of("initstepslew", "Could not parse initstepslew directive"),
                Arguments.of("initstepslew x host", "Could not parse initstepslew directive"),
                Arguments.of("include", "Missing arguments for include directive"),
                Arguments.of("include /a /b", "Too many arguments for include directive"),
                Arguments.of("confdir", "Could not parse confdir directive"),
                Arguments.of("confdir 1 2 3 4 5 6 7 8 9 10 11", "Could not parse confdir directive"),
                Arguments.of("x".repeat(2048), "String too long"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void rejectsWithExactMessage(String line, String detail) {
        assertThatThrownBy(() -> ConfigParser.parseLines(List.of("# first line", line), "/etc/chrony/chrony.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/chrony/chrony.conf:2: " + detail)
                .satisfies(e -> {
                    ConfigException ce = (ConfigException) e;
                    org.junit.jupiter.api.Assertions.assertEquals(detail, ce.detail());
                    org.junit.jupiter.api.Assertions.assertEquals(
                            new SourceLocation("/etc/chrony/chrony.conf", 2), ce.location().orElseThrow());
                });
    }
}
