package org.jchrony.discipline;

import java.net.InetAddress;

/**
 * One line of {@code chronyc sources} (SOURCE_DATA reply).
 *
 * @param mode                  '^' server, '=' peer, '#' reference clock
 * @param reach                 8-bit reach register (chronyc prints it in octal)
 * @param sinceSampleSeconds    LastRx: seconds since the last good sample (-1 = never)
 * @param origLatestOffsetSeconds last sample's offset as measured (positive = local clock ahead)
 * @param latestOffsetSeconds   the same offset adjusted for clock corrections made since
 * @param latestErrorSeconds    its error bound (the "+/-" figure)
 * @param prefer                source options, for the reply's flags field
 */
public record SourceData(InetAddress address, String name, int pollLog2, int stratum, SourceState state,
                         Mode mode, int reach, long sinceSampleSeconds, double origLatestOffsetSeconds,
                         double latestOffsetSeconds, double latestErrorSeconds,
                         boolean prefer, boolean noselect, boolean trust, boolean require) {

    /** Source mode as chronyc shows it (code = wire value). */
    public enum Mode {
        SERVER('^', 0), PEER('=', 1), REFCLOCK('#', 2);

        private final char symbol;
        private final int wireCode;

        Mode(char symbol, int wireCode) {
            this.symbol = symbol;
            this.wireCode = wireCode;
        }

        public char symbol() { return symbol; }

        public int wireCode() { return wireCode; }
    }
}
