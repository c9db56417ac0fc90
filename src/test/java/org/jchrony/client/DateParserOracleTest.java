package org.jchrony.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * settime's date strings parsed as Debian's chronyc 4.3 parses them. The oracle: chronyd -x with
 * {@code manual}; {@code settime ANCHOR} puts its clock at a known instant, then {@code settime S}
 * answers "Clock was X seconds fast", so chronyc's reading of S is ANCHOR - X. Both sides run in
 * the same non-UTC zone (TZ=Europe/Berlin) so local-time handling is compared too.
 */
class DateParserOracleTest {
    private static final String ZONE = "Europe/Berlin";
    private static final String ANCHOR = "2015-11-21 16:30:05";
    private static final Pattern FAST = Pattern.compile("Clock was (-?[0-9.]+) seconds fast");

    static final List<String> DATES = List.of(
            "16:30", "16:30:05", "Nov 21, 2015 16:30:05", "2015-11-21 16:30:05", "4:30pm", "4:30:05 PM",
            "16:30:05 Nov 21, 2015", "11/21/2015 16:30", "2015/11/21 16:30", "11/21 16:30", "21 Nov 2015 16:30",
            "21-Nov-2015 16:30", "Sat Nov 21 16:30:05 UTC 2015", "Nov 21 16:30", "2015-11-21", "nov 21 2015",
            "16:30 UTC", "16:30 +0100", "16:30:05 -0500", "4:30 pm EST", "12:00 am", "12:30 pm", "1630", "4pm",
            "20151121", "November 21, 2015 4:30:05 pm", "21 november 2015", "sept 3", "now", "today", "tomorrow",
            "yesterday 16:30", "next monday", "last friday", "1 hour ago", "+2 days", "3 weeks ago 10:00",
            "16:30 (comment) Nov 21", "Sat, Nov 21", "2015-11-21 16:30 CEST", "noon", "16:30:05.5", "16.30",
            "@1448123405", "November 21 2015 4:30:05 PM", "garbage", "25:00", "13pm", "Nov 21, 16:30", "");

    @Test
    void parsesEveryStringAsChronycDoes() throws Exception {
        RealChronyd.assumeInstalled();
        ZoneId zone = ZoneId.of(ZONE);
        List<String> mismatches = new ArrayList<>();
        try (RealChronyd d = RealChronyd.start(List.of("manual"))) {
            long anchor = DateParser.parse(ANCHOR, ZonedDateTime.now(zone));
            for (String s : DATES) {
                chronyc(d, "manual reset");
                String a = chronyc(d, "settime " + ANCHOR);
                assertThat(a).contains("200 OK");
                chronyc(d, "manual reset");
                String out = chronyc(d, "settime " + s);
                Long ours = DateParser.parse(s, ZonedDateTime.now(zone));
                if (out.contains("510 - Could not parse date string")) {
                    if (ours != null) mismatches.add("'" + s + "': chronyc refuses, we read " + ours);
                    continue;
                }
                Matcher m = FAST.matcher(out);
                assertThat(m.find()).as("'%s': %s", s, out).isTrue();
                double fast = Double.parseDouble(m.group(1));
                double theirs = anchor - fast;
                // the reply carries X as chronyd's 32-bit float: about 7 significant digits
                if (ours == null || Math.abs(ours - theirs) > 2.0 + 1e-7 * Math.abs(fast)) {
                    mismatches.add("'" + s + "': chronyc " + Math.round(theirs) + ", we " + ours);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static String chronyc(RealChronyd d, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(RealChronyd.CHRONYC.toString(), "-h", d.socketPath().toString(), command)
                .redirectErrorStream(true);
        pb.environment().put("TZ", ZONE);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }
}
