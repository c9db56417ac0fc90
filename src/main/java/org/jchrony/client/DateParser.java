package org.jchrony.client;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The date strings {@code settime} accepts, as chronyc parses them: a Java port of the classic
 * public-domain {@code getdate} grammar (Bellovin, Salz, Berets) that chronyc uses. A string is a
 * sequence of items in any order, each at most once:
 * <ul>
 *   <li>time: {@code 16:30}, {@code 16:30:05}, {@code 4pm}, {@code 4:30:05 pm}, {@code 16:30 +0100},
 *       or a bare number {@code 1630} / {@code 16};</li>
 *   <li>date: {@code 11/21}, {@code 11/21/2015}, {@code 2015/11/21}, {@code 2015-11-21},
 *       {@code 21-Nov-2015}, {@code Nov 21}, {@code Nov 21, 2015}, {@code 21 Nov}, {@code 21 Nov 2015},
 *       {@code 20151121}; a bare year after a date and time;</li>
 *   <li>day of week: {@code Sat}, {@code next monday}; zone: {@code UTC}, {@code EST}, {@code CEST}...;</li>
 *   <li>relative: {@code now}, {@code today}, {@code tomorrow}, {@code yesterday}, {@code 3 hours ago},
 *       {@code +2 days}, {@code 1 week}; comments in parentheses are skipped.</li>
 * </ul>
 * Missing date fields are today's (local time); a date without a time means midnight. What chronyc
 * refuses ({@code 16:30:05.5}, {@code noon}, {@code @1448123405}) is refused here too.
 */
final class DateParser {
    private DateParser() {}

    private enum T { UNUMBER, SNUMBER, MONTH, DAY, MERIDIAN, ZONE, DAYZONE, DST, YEAR_UNIT, MONTH_UNIT, DAY_UNIT,
        HOUR_UNIT, MINUTE_UNIT, SEC_UNIT, AGO, ID, CHAR, END }

    private record Tok(T type, long value, char ch) {
        boolean is(char c) { return type == T.CHAR && ch == c; }
    }

    private static final int MER24 = 0, MERAM = 1, MERPM = 2;

    /** Seconds since the epoch, or null when chronyc could not parse it either. */
    static Long parse(String text, ZonedDateTime now) {
        List<Tok> toks = lex(text);
        if (toks == null) return null;
        return new State(toks, now).run();
    }

    // ---- lexer ----

    private static List<Tok> lex(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (true) {
            while (i < n && isSpace(s.charAt(i))) i++;
            if (i >= n) {
                out.add(new Tok(T.END, 0, '\0'));
                return out;
            }
            char c = s.charAt(i);
            if (isDigit(c) || c == '-' || c == '+') {
                int sign = 0;
                if (c == '-' || c == '+') {
                    sign = c == '-' ? -1 : 1;
                    i++;
                    if (i >= n || !isDigit(s.charAt(i))) continue; // a lone sign is skipped
                }
                long v = 0;
                while (i < n && isDigit(s.charAt(i))) {
                    v = 10 * v + (s.charAt(i++) - '0');
                    if (v > Integer.MAX_VALUE) v = (int) v; // C int arithmetic wraps
                }
                v = (int) v;
                if (sign < 0) v = -v;
                out.add(new Tok(sign != 0 ? T.SNUMBER : T.UNUMBER, v, '\0'));
                continue;
            }
            if (isAlpha(c)) {
                StringBuilder b = new StringBuilder();
                while (i < n && (isAlpha(s.charAt(i)) || s.charAt(i) == '.')) {
                    if (b.length() < 19) b.append(s.charAt(i));
                    i++;
                }
                out.add(lookupWord(b.toString()));
                continue;
            }
            if (c != '(') {
                out.add(new Tok(T.CHAR, 0, c));
                i++;
                continue;
            }
            int depth = 0;
            do {
                if (i >= n) {
                    out.add(new Tok(T.END, 0, '\0'));
                    return out;
                }
                char d = s.charAt(i++);
                if (d == '(') depth++;
                else if (d == ')') depth--;
            } while (depth > 0);
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return c < 128 && Character.isLetter(c);
    }

    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
        "september", "sept", "october", "november", "december"};
    private static final int[] MONTH_NUMBERS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 11, 12};
    private static final String[] DAYS = {"sunday", "monday", "tuesday", "tues", "wednesday", "wednes", "thursday",
        "thur", "thurs", "friday", "saturday"};
    private static final int[] DAY_NUMBERS = {0, 1, 2, 2, 3, 3, 4, 4, 4, 5, 6};

    /** Zones: name, minutes west of UTC, daylight (tDAYZONE). */
    private static final Object[][] ZONES = {
        {"gmt", 0, false}, {"ut", 0, false}, {"utc", 0, false}, {"wet", 0, false}, {"bst", 0, true},
        {"wat", 60, false}, {"at", 120, false}, {"ast", 240, false}, {"adt", 240, true}, {"est", 300, false},
        {"edt", 300, true}, {"cst", 360, false}, {"cdt", 360, true}, {"mst", 420, false}, {"mdt", 420, true},
        {"pst", 480, false}, {"pdt", 480, true}, {"yst", 540, false}, {"ydt", 540, true}, {"hst", 600, false},
        {"hdt", 600, true}, {"cat", 600, false}, {"ahst", 600, false}, {"nt", 660, false}, {"idlw", 720, false},
        {"cet", -60, false}, {"met", -60, false}, {"mewt", -60, false}, {"mest", -60, true}, {"mesz", -60, true},
        {"swt", -60, false}, {"sst", -60, true}, {"fwt", -60, false}, {"fst", -60, true}, {"eet", -120, false},
        {"bt", -180, false}, {"zp4", -240, false}, {"zp5", -300, false}, {"zp6", -360, false},
        {"wast", -420, false}, {"wadt", -420, true}, {"cct", -480, false}, {"jst", -540, false},
        {"east", -600, false}, {"eadt", -600, true}, {"gst", -600, false}, {"nzt", -720, false},
        {"nzst", -720, false}, {"nzdt", -720, true}, {"idle", -720, false}};

    private static final Object[][] UNITS = {
        {"year", T.YEAR_UNIT, 1}, {"month", T.MONTH_UNIT, 1}, {"fortnight", T.DAY_UNIT, 14}, {"week", T.DAY_UNIT, 7},
        {"day", T.DAY_UNIT, 1}, {"hour", T.HOUR_UNIT, 1}, {"minute", T.MINUTE_UNIT, 1}, {"min", T.MINUTE_UNIT, 1},
        {"second", T.SEC_UNIT, 1}, {"sec", T.SEC_UNIT, 1}};

    private static final Object[][] OTHER = {
        {"tomorrow", T.MINUTE_UNIT, 24 * 60}, {"yesterday", T.MINUTE_UNIT, -24 * 60}, {"today", T.MINUTE_UNIT, 0},
        {"now", T.MINUTE_UNIT, 0}, {"last", T.UNUMBER, -1}, {"this", T.MINUTE_UNIT, 0}, {"next", T.UNUMBER, 1},
        {"first", T.UNUMBER, 1}, {"third", T.UNUMBER, 3}, {"fourth", T.UNUMBER, 4}, {"fifth", T.UNUMBER, 5},
        {"sixth", T.UNUMBER, 6}, {"seventh", T.UNUMBER, 7}, {"eighth", T.UNUMBER, 8}, {"ninth", T.UNUMBER, 9},
        {"tenth", T.UNUMBER, 10}, {"eleventh", T.UNUMBER, 11}, {"twelfth", T.UNUMBER, 12}, {"ago", T.AGO, 1}};

    private static Tok lookupWord(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.equals("am") || w.equals("a.m.")) return new Tok(T.MERIDIAN, MERAM, '\0');
        if (w.equals("pm") || w.equals("p.m.")) return new Tok(T.MERIDIAN, MERPM, '\0');
        boolean abbrev = w.length() == 3 || w.length() == 4 && w.charAt(3) == '.';
        if (abbrev) w = w.substring(0, 3);
        for (int k = 0; k < MONTHS.length; k++) {
            if (abbrev ? MONTHS[k].startsWith(w) : MONTHS[k].equals(w)) return new Tok(T.MONTH, MONTH_NUMBERS[k], '\0');
        }
        for (int k = 0; k < DAYS.length; k++) {
            if (abbrev ? DAYS[k].startsWith(w) : DAYS[k].equals(w)) return new Tok(T.DAY, DAY_NUMBERS[k], '\0');
        }
        Tok z = zone(w);
        if (z != null) return z;
        if (w.equals("dst")) return new Tok(T.DST, 0, '\0');
        Tok u = table(UNITS, w);
        if (u != null) return u;
        if (w.endsWith("s")) {
            u = table(UNITS, w.substring(0, w.length() - 1));
            if (u != null) return u;
        }
        Tok o = table(OTHER, w);
        if (o != null) return o;
        if (w.length() == 1 && w.charAt(0) >= 'a' && w.charAt(0) <= 'z' && w.charAt(0) != 'j') {
            char c = w.charAt(0);
            int hours = c <= 'i' ? c - 'a' + 1 : c <= 'm' ? c - 'a' : c <= 'y' ? -(c - 'n' + 1) : 0;
            return new Tok(T.ZONE, hours * 60L, '\0');
        }
        String noDots = w.replace(".", "");
        if (!noDots.equals(w)) {
            z = zone(noDots);
            if (z != null) return z;
        }
        return new Tok(T.ID, 0, '\0');
    }

    private static Tok zone(String w) {
        for (Object[] z : ZONES) {
            if (z[0].equals(w)) return new Tok((Boolean) z[2] ? T.DAYZONE : T.ZONE, ((Integer) z[1]).longValue(), '\0');
        }
        return null;
    }

    private static Tok table(Object[][] t, String w) {
        for (Object[] e : t) {
            if (e[0].equals(w)) return new Tok((T) e[1], ((Integer) e[2]).longValue(), '\0');
        }
        return null;
    }

    // ---- parser and date computation ----

    private static final class State {
        private final List<Tok> toks;
        private final ZonedDateTime now;
        private int p;
        long year, month, day, hour, minutes, seconds, timezone, dayOrdinal, dayNumber;
        int meridian = MER24;
        long relYear, relMonth, relDay, relHour, relMinutes, relSeconds;
        int haveDate, haveDay, haveRel, haveTime, haveZone;

        State(List<Tok> toks, ZonedDateTime now) {
            this.toks = toks;
            this.now = now;
            year = now.getYear();
            month = now.getMonthValue();
            day = now.getDayOfMonth();
            hour = now.getHour();
            minutes = now.getMinute();
            seconds = now.getSecond();
        }

        private Tok t(int k) {
            return toks.get(Math.min(p + k, toks.size() - 1));
        }

        private static boolean isUnit(Tok x) {
            return switch (x.type()) {
                case YEAR_UNIT, MONTH_UNIT, DAY_UNIT, HOUR_UNIT, MINUTE_UNIT, SEC_UNIT -> true;
                default -> false;
            };
        }

        Long run() {
            while (t(0).type() != T.END) {
                if (!item()) return null;
            }
            if (haveTime > 1 || haveZone > 1 || haveDate > 1 || haveDay > 1) return null;
            return compute();
        }

        /** One item; false on a syntax error. Longest match first, as yacc's shift preference. */
        private boolean item() {
            Tok a = t(0), b = t(1);
            switch (a.type()) {
                case UNUMBER -> {
                    if (b.type() == T.MERIDIAN) {
                        setTime(a.value(), 0, 0, (int) b.value());
                        p += 2;
                        haveTime++;
                        return true;
                    }
                    if (b.is(':')) {
                        if (t(2).type() != T.UNUMBER) return false;
                        long h = a.value(), m = t(2).value();
                        if (t(3).is(':')) {
                            if (t(4).type() != T.UNUMBER) return false;
                            long s = t(4).value();
                            p += 5;
                            timeTail(h, m, s);
                        } else {
                            p += 3;
                            timeTail(h, m, -1);
                        }
                        haveTime++;
                        return true;
                    }
                    if (b.is('/')) {
                        if (t(2).type() != T.UNUMBER) return false;
                        if (t(3).is('/')) {
                            if (t(4).type() != T.UNUMBER) return false;
                            if (a.value() >= 1000) {
                                year = a.value();
                                month = t(2).value();
                                day = t(4).value();
                            } else {
                                month = a.value();
                                day = t(2).value();
                                year = t(4).value();
                            }
                            p += 5;
                        } else {
                            month = a.value();
                            day = t(2).value();
                            p += 3;
                        }
                        haveDate++;
                        return true;
                    }
                    if (b.type() == T.SNUMBER) {
                        if (t(2).type() == T.SNUMBER) { // ISO 8601 yyyy-mm-dd
                            year = a.value();
                            month = -b.value();
                            day = -t(2).value();
                            p += 3;
                            haveDate++;
                            return true;
                        }
                        return false;
                    }
                    if (b.type() == T.MONTH) {
                        day = a.value();
                        month = b.value();
                        if (t(2).type() == T.SNUMBER) { // 17-JUN-1992
                            year = -t(2).value();
                            p += 3;
                        } else if (t(2).type() == T.UNUMBER) {
                            year = t(2).value();
                            p += 3;
                        } else {
                            p += 2;
                        }
                        haveDate++;
                        return true;
                    }
                    if (b.type() == T.DAY) {
                        dayOrdinal = a.value();
                        dayNumber = b.value();
                        p += 2;
                        haveDay++;
                        return true;
                    }
                    if (isUnit(b)) {
                        p += 1;
                        return rel(a.value());
                    }
                    number(a.value());
                    p += 1;
                    return true;
                }
                case SNUMBER -> {
                    if (!isUnit(b)) return false;
                    p += 1;
                    return rel(a.value());
                }
                case YEAR_UNIT, MONTH_UNIT, DAY_UNIT, HOUR_UNIT, MINUTE_UNIT, SEC_UNIT -> {
                    return rel(1);
                }
                case MONTH -> {
                    if (b.type() != T.UNUMBER) return false;
                    month = a.value();
                    day = b.value();
                    if (t(2).is(',')) {
                        if (t(3).type() != T.UNUMBER) return false;
                        year = t(3).value();
                        p += 4;
                    } else {
                        p += 2;
                    }
                    haveDate++;
                    return true;
                }
                case DAY -> {
                    dayOrdinal = 1;
                    dayNumber = a.value();
                    p += b.is(',') ? 2 : 1;
                    haveDay++;
                    return true;
                }
                case ZONE -> {
                    if (b.type() == T.DST) {
                        timezone = a.value() - 60;
                        p += 2;
                    } else {
                        timezone = a.value();
                        p += 1;
                    }
                    haveZone++;
                    return true;
                }
                case DAYZONE -> {
                    timezone = a.value() - 60;
                    p += 1;
                    haveZone++;
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        private void setTime(long h, long m, long s, int merid) {
            hour = h;
            minutes = m;
            seconds = s;
            meridian = merid;
        }

        /**
         * After HH:MM[:SS] ({@code s} = -1 without seconds): an optional meridian or a numeric zone
         * (+HHMM). As in getdate, "HH:MM +HHMM" leaves the seconds as they were (now's, by default).
         */
        private void timeTail(long h, long m, long s) {
            Tok x = t(0);
            if (x.type() == T.MERIDIAN) {
                setTime(h, m, Math.max(0, s), (int) x.value());
                p++;
            } else if (x.type() == T.SNUMBER) {
                setTime(h, m, s < 0 ? seconds : s, MER24);
                long v = x.value();
                timezone = v < 0 ? -v % 100 + (-v / 100) * 60 : -(v % 100 + (v / 100) * 60);
                haveZone++;
                p++;
            } else {
                setTime(h, m, Math.max(0, s), MER24);
            }
        }

        /** relunit [ago]; p is at the unit. */
        private boolean rel(long count) {
            Tok u = t(0);
            long v = count * u.value();
            switch (u.type()) {
                case YEAR_UNIT -> relYear += v;
                case MONTH_UNIT -> relMonth += v;
                case DAY_UNIT -> relDay += v;
                case HOUR_UNIT -> relHour += v;
                case MINUTE_UNIT -> relMinutes += v;
                case SEC_UNIT -> relSeconds += v;
                default -> { return false; }
            }
            p++;
            if (t(0).type() == T.AGO) {
                relSeconds = -relSeconds;
                relMinutes = -relMinutes;
                relHour = -relHour;
                relDay = -relDay;
                relMonth = -relMonth;
                relYear = -relYear;
                p++;
            }
            haveRel++;
            return true;
        }

        private void number(long v) {
            if (haveTime > 0 && haveDate > 0 && haveRel == 0) {
                year = v;
            } else if (v > 10000) {
                haveDate++;
                day = v % 100;
                month = (v / 100) % 100;
                year = v / 10000;
            } else {
                haveTime++;
                if (v < 100) {
                    hour = v;
                    minutes = 0;
                } else {
                    hour = v / 100;
                    minutes = v % 100;
                }
                seconds = 0;
                meridian = MER24;
            }
        }

        private static long toYear(long y) {
            if (y < 0) y = -y;
            if (y < 69) y += 2000;
            else if (y < 100) y += 1900;
            return y;
        }

        private static long toHour(long h, int merid) {
            return switch (merid) {
                case MER24 -> h < 0 || h > 23 ? -1 : h;
                case MERAM -> h < 1 || h > 12 ? -1 : h == 12 ? 0 : h;
                default -> h < 1 || h > 12 ? -1 : (h == 12 ? 0 : h) + 12;
            };
        }

        /** mktime's normalisation of out-of-range fields, then the zone. */
        private Long compute() {
            long y = toYear(year) + relYear;
            long mon = month - 1 + relMonth;
            long mday = day + relDay;
            long h, mi, s;
            if (haveTime > 0 || haveRel > 0 && haveDate == 0 && haveDay == 0) {
                h = toHour(hour, meridian);
                if (h < 0) return null;
                mi = minutes;
                s = seconds;
            } else {
                h = mi = s = 0;
            }
            h += relHour;
            mi += relMinutes;
            s += relSeconds;
            try {
                LocalDateTime local = fields(y, mon, mday, h, mi, s);
                if (haveDay > 0 && haveDate == 0) {
                    int wday = local.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : local.getDayOfWeek().getValue();
                    long add = Math.floorMod(dayNumber - wday + 7, 7) + 7 * (dayOrdinal - (dayOrdinal > 0 ? 1 : 0));
                    local = local.plusDays(add);
                }
                if (haveZone > 0) return local.toEpochSecond(ZoneOffset.UTC) + timezone * 60;
                return local.atZone(now.getZone()).toEpochSecond();
            } catch (java.time.DateTimeException | ArithmeticException e) {
                return null;
            }
        }

        private static LocalDateTime fields(long y, long mon, long mday, long h, long mi, long s) {
            if (Math.abs(y) > 1_000_000) throw new java.time.DateTimeException("year " + y);
            return LocalDateTime.of((int) y, 1, 1, 0, 0).plusMonths(mon).plusDays(mday - 1).plusHours(h)
                    .plusMinutes(mi).plusSeconds(s);
        }
    }
}
