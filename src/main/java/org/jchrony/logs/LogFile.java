package org.jchrony.logs;

/**
 * The files chronyd's {@code log} directive can enable, each {@code LOGDIR/NAME.log}, with the
 * column header chronyd 4.3 writes in its banner (the line between two lines of '=' as long as
 * it). {@code rawmeasurements} writes to {@code measurements.log} too.
 */
public enum LogFile {
    MEASUREMENTS("measurements",
            "   Date (UTC) Time     IP Address   L St 123 567 ABCD  LP RP Score    Offset  Peer del. Peer disp.  Root del. Root disp. Refid     MTxRx"),
    STATISTICS("statistics",
            "   Date (UTC) Time     IP Address    Std dev'n Est offset  Offset sd  Diff freq   Est skew  Stress  Ns  Bs  Nr  Asym"),
    TRACKING("tracking",
            "   Date (UTC) Time     IP Address   St   Freq ppm   Skew ppm     Offset L Co  Offset sd Rem. corr. Root delay Root disp. Max. error"),
    SELECTION("selection",
            "   Date (UTC) Time     IP Address   S EOpts Reach Score Last sample  Low end   High end"),
    REFCLOCKS("refclocks",
            "   Date (UTC) Time         Refid  DP L P  Raw offset   Cooked offset      Disp."),
    TEMPCOMP("tempcomp",
            "   Date (UTC) Time        Temp.       Comp."),
    RTC("rtc",
            "   Date (UTC) Time   RTC fast (s) Val   Est fast (s)   Slope (ppm)  Ns  Nr Meas");

    private final String baseName;
    private final String columns;

    LogFile(String baseName, String columns) {
        this.baseName = baseName;
        this.columns = columns;
    }

    /** The file name chronyd uses: {@code measurements.log}, ... */
    public String fileName() {
        return baseName + ".log";
    }

    /** The column header line of the banner. */
    public String columns() {
        return columns;
    }

    /** The three banner lines (without the final newline): '=' rule, columns, '=' rule. */
    public String banner() {
        String rule = "=".repeat(Math.min(columns.length(), 255));
        return rule + "\n" + columns + "\n" + rule;
    }
}
