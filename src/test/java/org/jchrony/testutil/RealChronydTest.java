package org.jchrony.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle fixture itself works: Debian's chronyd starts on free ports and answers chronyc. */
class RealChronydTest {
    @Test
    void startsAnswersAndStops() throws Exception {
        RealChronyd.assumeInstalled();
        try (RealChronyd c = RealChronyd.start(List.of("local stratum 10"))) {
            assertThat(c.chronyc("tracking")).contains("Stratum         : 10");
        }
    }
}
