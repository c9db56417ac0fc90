package org.jchrony.client;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The date forms settime accepts (a subset of chronyc's getdate): "HH:MM[:SS]" (today, local
 * time), "YYYY-MM-DD HH:MM[:SS]", "Mon DD, YYYY HH:MM[:SS]", "DD Mon YYYY HH:MM[:SS]", "@epoch".
 */
final class DateParser {
    private DateParser() {}

    private static final List<DateTimeFormatter> DATE_TIMES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd H:mm[:ss]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("MMM d, yyyy H:mm[:ss]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("MMM d yyyy H:mm[:ss]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMM yyyy H:mm[:ss]", Locale.ENGLISH));

    /** Seconds since the epoch, or null. */
    static Long parse(String text, ZonedDateTime now) {
        String s = text.strip();
        if (s.startsWith("@")) {
            try {
                return Long.parseLong(s.substring(1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            LocalTime t = LocalTime.parse(s, DateTimeFormatter.ofPattern("H:mm[:ss]"));
            return LocalDateTime.of(LocalDate.from(now), t).atZone(now.getZone()).toEpochSecond();
        } catch (DateTimeParseException e) {
            // try the longer forms
        }
        String cap = s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase(Locale.ROOT);
        for (DateTimeFormatter f : DATE_TIMES) {
            for (String candidate : List.of(s, cap)) {
                try {
                    return LocalDateTime.parse(candidate, f).atZone(now.getZone()).toEpochSecond();
                } catch (DateTimeParseException e) {
                    // next
                }
            }
        }
        return null;
    }
}
