package org.jchrony.cmdmon;

import static org.jchrony.cmdmon.Candm.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder and decoder of chronyd's command protocol (candm v6) requests and replies, both
 * generations: chronyc 4.3 (SERVER_STATS3, NTP_DATA, LOCAL2) and 4.4+ (SERVER_STATS4,
 * NTP_DATA2, LOCAL3). Pure: byte arrays in, records out. Decoding a packet and encoding the
 * result gives the same bytes for everything chronyc and chronyd send.
 */
public final class CandmCodec {
    private CandmCodec() {}

    /** A request header plus body. */
    public record Request(int version, int attempt, int sequence, Command command) {}

    /** A reply header plus body. */
    public record Reply(int version, int command, int replyCode, int status, int sequence, ReplyBody body) {}

    // ---------------------------------------------------------------- requests

    /** Encodes a request padded as chronyc 4.3 pads it ({@code newGeneration} = 4.4+ padding). */
    public static byte[] encodeRequest(Request r, boolean newGeneration) {
        int code = r.command().code();
        int length = newGeneration ? requestLengthNew(code) : requestLength(code);
        if (r.command() instanceof Command.Unknown u) length = Math.max(REPLY_HEADER, REQUEST_HEADER + u.data().length);
        if (length == 0) throw new IllegalArgumentException("no request layout for command " + code);
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) r.version()).put((byte) PKT_TYPE_REQUEST).put((byte) 0).put((byte) 0);
        b.putShort((short) code).putShort((short) r.attempt()).putInt(r.sequence()).putInt(0).putInt(0);
        writeCommand(b, r.command());
        return b.array();
    }

    private static void writeCommand(ByteBuffer b, Command c) {
        switch (c) {
            case Command.NoData n -> { }
            case Command.Connectivity x -> { ip(b, x.mask()); ip(b, x.address()); }
            case Command.Burst x -> { ip(b, x.mask()); ip(b, x.address()); b.putInt(x.goodSamples()).putInt(x.totalSamples()); }
            case Command.AddressInt x -> { ip(b, x.address()); b.putInt(x.value()); }
            case Command.AddressFloat x -> { ip(b, x.address()); flt(b, x.value()); }
            case Command.IntArg x -> b.putInt(x.value());
            case Command.FloatArg x -> flt(b, x.value());
            case Command.Address x -> ip(b, x.address());
            case Command.AllowDeny x -> { ip(b, x.address()); b.putInt(x.subnetBits()); }
            case Command.ModifyMakestep x -> { b.putInt(x.limit()); flt(b, x.thresholdSeconds()); }
            case Command.Settime x -> ts(b, x.time());
            case Command.Logon x -> ts(b, x.time());
            case Command.Local x -> {
                b.putInt(x.on() ? 1 : 0).putInt(x.stratum());
                flt(b, x.distanceSeconds());
                b.putInt(x.orphan() ? 1 : 0);
                if (x.code() == REQ_LOCAL3) {
                    flt(b, x.activateSeconds());
                    flt(b, x.waitSyncedSeconds());
                    flt(b, x.waitUnsyncedSeconds());
                }
            }
            case Command.ClientAccesses x -> b.putInt(x.firstIndex()).putInt(x.maxClients()).putInt(x.minHits()).putInt(x.reset() ? 1 : 0);
            case Command.ModifySelectOpts x -> { ip(b, x.address()); b.putInt(x.refId()).putInt(x.mask()).putInt(x.options()); }
            case Command.ModifyOffset x -> { ip(b, x.address()); b.putInt(x.refId()); flt(b, x.offsetSeconds()); }
            case Command.AddSource x -> {
                b.putInt(x.type());
                byte[] name = new byte[256];
                // NUL-terminated (chronyd checks it): at most 255 bytes, cut on a UTF-8 character boundary
                byte[] n = x.name().getBytes(StandardCharsets.UTF_8);
                int cut = Math.min(n.length, 255);
                while (cut < n.length && cut > 0 && (n[cut] & 0xc0) == 0x80) cut--;
                System.arraycopy(n, 0, name, 0, cut);
                b.put(name);
                b.putInt(x.port()).putInt(x.minpoll()).putInt(x.maxpoll()).putInt(x.presendMinpoll())
                        .putInt(x.minStratum()).putInt(x.pollTarget()).putInt(x.version()).putInt(x.maxSources())
                        .putInt(x.minSamples()).putInt(x.maxSamples()).putInt(x.authKey()).putInt(x.ntsPort());
                flt(b, x.maxDelay());
                flt(b, x.maxDelayRatio());
                flt(b, x.maxDelayDevRatio());
                flt(b, x.minDelay());
                flt(b, x.asymmetry());
                flt(b, x.offset());
                b.putInt(x.flags()).putInt(x.filterLength()).putInt(x.certSet());
                flt(b, x.maxDelayQuant());
                b.putInt(x.maxUnreach());
            }
            case Command.Unknown x -> b.put(x.data());
        }
    }

    /**
     * Decodes a request's header and data. The caller has checked the header (type, length);
     * throws {@link IllegalArgumentException} if the data is shorter than the command's layout.
     */
    public static Request decodeRequest(byte[] in, int length) {
        if (length < REQUEST_HEADER) throw new IllegalArgumentException("short request");
        ByteBuffer b = ByteBuffer.wrap(in, 0, length);
        int version = b.get() & 0xff;
        b.position(4);
        int code = b.getShort() & 0xffff;
        int attempt = b.getShort() & 0xffff;
        int sequence = b.getInt();
        b.position(REQUEST_HEADER);
        int need = requestDataLength(code);
        if (need < 0) {
            byte[] data = new byte[length - REQUEST_HEADER];
            b.get(data);
            return new Request(version, attempt, sequence, new Command.Unknown(code, data));
        }
        if (length < REQUEST_HEADER + need) throw new IllegalArgumentException("request data too short");
        return new Request(version, attempt, sequence, readCommand(b, code));
    }

    private static Command readCommand(ByteBuffer b, int code) {
        return switch (code) {
            case REQ_ONLINE, REQ_OFFLINE -> new Command.Connectivity(code, ip(b), ip(b));
            case REQ_BURST -> new Command.Burst(ip(b), ip(b), b.getInt(), b.getInt());
            case REQ_MODIFY_MINPOLL, REQ_MODIFY_MAXPOLL, REQ_MODIFY_MINSTRATUM, REQ_MODIFY_POLLTARGET ->
                    new Command.AddressInt(code, ip(b), b.getInt());
            case REQ_MODIFY_MAXDELAY, REQ_MODIFY_MAXDELAYRATIO, REQ_MODIFY_MAXDELAYDEVRATIO ->
                    new Command.AddressFloat(code, ip(b), flt(b));
            case REQ_DUMP, REQ_MANUAL, REQ_SOURCE_DATA, REQ_SOURCESTATS, REQ_SELECT_DATA, REQ_MANUAL_DELETE,
                 REQ_SMOOTHTIME -> new Command.IntArg(code, b.getInt());
            case REQ_MODIFY_MAXUPDATESKEW, REQ_DFREQ, REQ_DOFFSET2, REQ_RESELECTDISTANCE -> new Command.FloatArg(code, flt(b));
            case REQ_DEL_SOURCE, REQ_ACCHECK, REQ_CMDACCHECK, REQ_NTP_DATA, REQ_NTP_SOURCE_NAME, REQ_AUTH_DATA ->
                    new Command.Address(code, ip(b));
            case REQ_ALLOW, REQ_ALLOWALL, REQ_DENY, REQ_DENYALL, REQ_CMDALLOW, REQ_CMDALLOWALL, REQ_CMDDENY,
                 REQ_CMDDENYALL -> new Command.AllowDeny(code, ip(b), b.getInt());
            case REQ_MODIFY_MAKESTEP -> new Command.ModifyMakestep(b.getInt(), flt(b));
            case REQ_SETTIME -> new Command.Settime(ts(b));
            case REQ_LOGON -> new Command.Logon(ts(b));
            case REQ_LOCAL2 -> new Command.Local(code, b.getInt() != 0, b.getInt(), flt(b), b.getInt() != 0, 0, 0, 0);
            case REQ_LOCAL3 -> new Command.Local(code, b.getInt() != 0, b.getInt(), flt(b), b.getInt() != 0, flt(b), flt(b), flt(b));
            case REQ_CLIENT_ACCESSES_BY_INDEX3 -> new Command.ClientAccesses(b.getInt(), b.getInt(), b.getInt(), b.getInt() != 0);
            case REQ_MODIFY_SELECTOPTS -> new Command.ModifySelectOpts(ip(b), b.getInt(), b.getInt(), b.getInt());
            case REQ_MODIFY_OFFSET -> new Command.ModifyOffset(ip(b), b.getInt(), flt(b));
            case REQ_ADD_SOURCE -> readAddSource(b);
            default -> new Command.NoData(code);
        };
    }

    private static Command.AddSource readAddSource(ByteBuffer b) {
        int type = b.getInt();
        byte[] name = new byte[256];
        b.get(name);
        int len = 0;
        while (len < 256 && name[len] != 0) len++;
        return new Command.AddSource(type, new String(name, 0, len, StandardCharsets.UTF_8), b.getInt(), b.getInt(),
                b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                b.getInt(), b.getInt(), flt(b), flt(b), flt(b), flt(b), flt(b), flt(b), b.getInt(), b.getInt(),
                b.getInt(), flt(b), b.getInt());
    }

    /** Whether the 256 name bytes of an ADD_SOURCE request end with a NUL (chronyd's check). */
    public static boolean addSourceNameTerminated(byte[] in, int length) {
        int last = REQUEST_HEADER + 4 + 255;
        return length > last && in[last] == 0;
    }

    // ---------------------------------------------------------------- replies

    /** Reply code a body is sent with. */
    public static int replyCode(ReplyBody body) {
        return switch (body) {
            case ReplyBody.Empty e -> RPY_NULL;
            case ReplyBody.NSources n -> RPY_N_SOURCES;
            case ReplyBody.Source s -> RPY_SOURCE_DATA;
            case ReplyBody.Tracking t -> RPY_TRACKING;
            case ReplyBody.SourceStats s -> RPY_SOURCESTATS;
            case ReplyBody.Rtc r -> RPY_RTC;
            case ReplyBody.Activity a -> RPY_ACTIVITY;
            case ReplyBody.Smoothing s -> RPY_SMOOTHING;
            case ReplyBody.ServerStats s -> s.newForm() ? RPY_SERVER_STATS4 : RPY_SERVER_STATS3;
            case ReplyBody.NtpData n -> n.newForm() ? RPY_NTP_DATA2 : RPY_NTP_DATA;
            case ReplyBody.ManualTimestamp2 m -> RPY_MANUAL_TIMESTAMP2;
            case ReplyBody.ManualList m -> RPY_MANUAL_LIST2;
            case ReplyBody.SourceName s -> RPY_NTP_SOURCE_NAME;
            case ReplyBody.AuthData a -> RPY_AUTH_DATA;
            case ReplyBody.ClientAccesses c -> RPY_CLIENT_ACCESSES_BY_INDEX3;
            case ReplyBody.SelectData s -> RPY_SELECT_DATA;
        };
    }

    /** Encodes a reply into {@code out} (zeroing it first); returns its length. */
    public static int encodeReply(Reply r, byte[] out) {
        int length = replyLength(r.replyCode());
        if (length == 0) throw new IllegalArgumentException("unknown reply " + r.replyCode());
        java.util.Arrays.fill(out, 0, length, (byte) 0);
        ByteBuffer b = ByteBuffer.wrap(out, 0, length);
        b.put((byte) r.version()).put((byte) PKT_TYPE_REPLY).put((byte) 0).put((byte) 0);
        b.putShort((short) r.command()).putShort((short) r.replyCode()).putShort((short) r.status());
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(r.sequence()).putInt(0).putInt(0);
        writeBody(b, r.body());
        return length;
    }

    public static byte[] encodeReply(Reply r) {
        byte[] out = new byte[replyLength(r.replyCode())];
        encodeReply(r, out);
        return out;
    }

    private static void writeBody(ByteBuffer b, ReplyBody body) {
        switch (body) {
            case ReplyBody.Empty e -> { }
            case ReplyBody.NSources n -> b.putInt((int) n.count());
            case ReplyBody.Source s -> {
                SourceReport r = s.report();
                ip(b, r.address());
                b.putShort((short) r.pollLog2()).putShort((short) r.stratum()).putShort((short) r.state())
                        .putShort((short) r.mode()).putShort((short) r.flags()).putShort((short) r.reachability())
                        .putInt((int) r.sinceSampleSeconds());
                flt(b, r.origLatestMeasSeconds());
                flt(b, r.latestMeasSeconds());
                flt(b, r.latestMeasErrSeconds());
            }
            case ReplyBody.Tracking t -> {
                TrackingReport r = t.report();
                b.putInt(r.refId());
                ip(b, r.address());
                b.putShort((short) r.stratum()).putShort((short) r.leapStatus());
                ts(b, r.refTime());
                for (double d : new double[] {r.currentCorrectionSeconds(), r.lastOffsetSeconds(), r.rmsOffsetSeconds(),
                        r.freqPpm(), r.residFreqPpm(), r.skewPpm(), r.rootDelaySeconds(), r.rootDispersionSeconds(),
                        r.lastUpdateIntervalSeconds()}) flt(b, d);
            }
            case ReplyBody.SourceStats s -> {
                SourceStatsReport r = s.report();
                b.putInt(r.refId());
                ip(b, r.address());
                b.putInt((int) r.samples()).putInt((int) r.runs()).putInt((int) r.spanSeconds());
                for (double d : new double[] {r.sdSeconds(), r.residFreqPpm(), r.skewPpm(), r.estOffsetSeconds(),
                        r.estOffsetErrSeconds()}) flt(b, d);
            }
            case ReplyBody.Rtc rt -> {
                RtcReport r = rt.report();
                ts(b, r.refTime());
                b.putShort((short) r.samples()).putShort((short) r.runs()).putInt((int) r.spanSeconds());
                flt(b, r.rtcSecondsFast());
                flt(b, r.rtcGainRatePpm());
            }
            case ReplyBody.Activity a -> {
                ActivityReport r = a.report();
                b.putInt(r.online()).putInt(r.offline()).putInt(r.burstOnline()).putInt(r.burstOffline()).putInt(r.unresolved());
            }
            case ReplyBody.Smoothing s -> {
                SmoothingReport r = s.report();
                b.putInt((r.active() ? 1 : 0) | (r.leapOnly() ? 2 : 0));
                for (double d : new double[] {r.offsetSeconds(), r.freqPpm(), r.wanderPpm(), r.lastUpdateAgoSeconds(),
                        r.remainingTimeSeconds()}) flt(b, d);
            }
            case ReplyBody.ServerStats s -> {
                ServerStatsReport r = s.report();
                long[] v = {r.ntpHits(), r.nkeHits(), r.cmdHits(), r.ntpDrops(), r.nkeDrops(), r.cmdDrops(), r.logDrops(),
                        r.ntpAuthHits(), r.ntpInterleavedHits(), r.ntpTimestamps(), r.ntpSpanSeconds()};
                if (s.newForm()) {
                    for (long x : v) b.putLong(x);
                    for (long x : new long[] {r.ntpDaemonRxTimestamps(), r.ntpDaemonTxTimestamps(),
                            r.ntpKernelRxTimestamps(), r.ntpKernelTxTimestamps(), r.ntpHwRxTimestamps(),
                            r.ntpHwTxTimestamps()}) b.putLong(x);
                    for (int i = 0; i < 4; i++) b.putLong(-1L);
                } else {
                    for (long x : v) b.putInt((int) x);
                }
            }
            case ReplyBody.NtpData n -> {
                NtpDataReport r = n.report();
                ip(b, r.remoteAddress());
                ip(b, r.localAddress());
                b.putShort((short) r.remotePort()).put((byte) r.leap()).put((byte) r.version()).put((byte) r.mode())
                        .put((byte) r.stratum()).put((byte) r.pollLog2()).put((byte) r.precisionLog2());
                flt(b, r.rootDelaySeconds());
                flt(b, r.rootDispersionSeconds());
                b.putInt(r.refId());
                ts(b, r.refTime());
                for (double d : new double[] {r.offsetSeconds(), r.peerDelaySeconds(), r.peerDispersionSeconds(),
                        r.responseTimeSeconds(), r.jitterAsymmetry()}) flt(b, d);
                b.putShort((short) r.flags()).put((byte) r.txTssChar()).put((byte) r.rxTssChar());
                b.putInt((int) r.totalTxCount()).putInt((int) r.totalRxCount()).putInt((int) r.totalValidCount())
                        .putInt((int) r.totalGoodCount());
                if (n.newForm()) {
                    b.putInt((int) r.totalKernelTxTs()).putInt((int) r.totalKernelRxTs()).putInt((int) r.totalHwTxTs())
                            .putInt((int) r.totalHwRxTs());
                    for (int i = 0; i < 4; i++) b.putInt(-1);
                } else {
                    for (int i = 0; i < 3; i++) b.putInt(-1);
                }
            }
            case ReplyBody.ManualTimestamp2 m -> {
                flt(b, m.result().offsetSeconds());
                flt(b, m.result().dfreqPpm());
                flt(b, m.result().newAfreqPpm());
            }
            case ReplyBody.ManualList m -> {
                b.putInt(Math.min(m.samples().size(), MAX_MANUAL_LIST_SAMPLES));
                for (ManualSample s : m.samples().subList(0, Math.min(m.samples().size(), MAX_MANUAL_LIST_SAMPLES))) {
                    ts(b, s.when());
                    flt(b, s.slewedOffsetSeconds());
                    flt(b, s.origOffsetSeconds());
                    flt(b, s.residualSeconds());
                }
            }
            case ReplyBody.SourceName s -> {
                // NUL-terminated in 256 bytes (chronyc relies on it): at most 255 bytes, cut on a UTF-8 character boundary
                byte[] n = s.name().getBytes(StandardCharsets.UTF_8);
                int cut = Math.min(n.length, 255);
                while (cut < n.length && cut > 0 && (n[cut] & 0xc0) == 0x80) cut--;
                b.put(n, 0, cut);
            }
            case ReplyBody.AuthData a -> {
                AuthDataReport r = a.report();
                b.putShort((short) r.mode()).putShort((short) r.keyType()).putInt((int) r.keyId())
                        .putShort((short) r.keyLengthBits()).putShort((short) r.keAttempts()).putInt((int) r.lastKeAgoSeconds())
                        .putShort((short) r.cookies()).putShort((short) r.cookieLength()).putShort((short) r.nak())
                        .putShort((short) 0);
            }
            case ReplyBody.ClientAccesses c -> {
                ClientAccessPage p = c.page();
                b.putInt((int) p.indices()).putInt((int) p.nextIndex()).putInt(Math.min(p.clients().size(), MAX_CLIENT_ACCESSES));
                for (ClientAccessReport r : p.clients().subList(0, Math.min(p.clients().size(), MAX_CLIENT_ACCESSES))) {
                    ip(b, r.address());
                    b.putInt((int) r.ntpHits()).putInt((int) r.nkeHits()).putInt((int) r.cmdHits()).putInt((int) r.ntpDrops())
                            .putInt((int) r.nkeDrops()).putInt((int) r.cmdDrops());
                    b.put((byte) r.ntpIntervalLog2()).put((byte) r.nkeIntervalLog2()).put((byte) r.cmdIntervalLog2())
                            .put((byte) r.ntpTimeoutIntervalLog2());
                    b.putInt((int) r.lastNtpHitAgoSeconds()).putInt((int) r.lastNkeHitAgoSeconds())
                            .putInt((int) r.lastCmdHitAgoSeconds());
                }
            }
            case ReplyBody.SelectData s -> {
                SelectDataReport r = s.report();
                b.putInt(r.refId());
                ip(b, r.address());
                b.put((byte) r.stateChar()).put((byte) (r.authenticated() ? 1 : 0)).put((byte) r.leap()).put((byte) 0);
                b.putShort((short) r.confOptions()).putShort((short) r.effOptions()).putInt((int) r.lastSampleAgoSeconds());
                flt(b, r.score());
                flt(b, r.loLimitSeconds());
                flt(b, r.hiLimitSeconds());
            }
        }
    }

    /** Decodes a reply; throws {@link IllegalArgumentException} if shorter than its reply type needs. */
    public static Reply decodeReply(byte[] in, int length) {
        if (length < REPLY_HEADER) throw new IllegalArgumentException("short reply");
        ByteBuffer b = ByteBuffer.wrap(in, 0, length);
        int version = b.get() & 0xff;
        b.position(4);
        int command = b.getShort() & 0xffff;
        int replyCode = b.getShort() & 0xffff;
        int status = b.getShort() & 0xffff;
        b.position(16);
        int sequence = b.getInt();
        b.position(REPLY_HEADER);
        int need = replyLength(replyCode);
        if (need == 0 || length < need) {
            if (need == 0 && replyCode != RPY_NULL) throw new IllegalArgumentException("unknown reply type " + replyCode);
            throw new IllegalArgumentException("reply too short");
        }
        return new Reply(version, command, replyCode, status, sequence, readBody(b, replyCode));
    }

    private static ReplyBody readBody(ByteBuffer b, int code) {
        return switch (code) {
            case RPY_N_SOURCES -> new ReplyBody.NSources(u32(b));
            case RPY_SOURCE_DATA -> new ReplyBody.Source(new SourceReport(ip(b), b.getShort(), u16(b), u16(b), u16(b),
                    u16(b), u16(b), u32(b), flt(b), flt(b), flt(b)));
            case RPY_TRACKING -> new ReplyBody.Tracking(new TrackingReport(b.getInt(), ip(b), u16(b), u16(b), ts(b),
                    flt(b), flt(b), flt(b), flt(b), flt(b), flt(b), flt(b), flt(b), flt(b)));
            case RPY_SOURCESTATS -> new ReplyBody.SourceStats(new SourceStatsReport(b.getInt(), ip(b), u32(b), u32(b),
                    u32(b), flt(b), flt(b), flt(b), flt(b), flt(b)));
            case RPY_RTC -> new ReplyBody.Rtc(new RtcReport(ts(b), u16(b), u16(b), u32(b), flt(b), flt(b)));
            case RPY_ACTIVITY -> new ReplyBody.Activity(new ActivityReport(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt()));
            case RPY_SMOOTHING -> {
                int flags = b.getInt();
                yield new ReplyBody.Smoothing(new SmoothingReport((flags & 1) != 0, (flags & 2) != 0, flt(b), flt(b),
                        flt(b), flt(b), flt(b)));
            }
            case RPY_SERVER_STATS3 -> new ReplyBody.ServerStats(ServerStatsReport.v3(u32(b), u32(b), u32(b), u32(b),
                    u32(b), u32(b), u32(b), u32(b), u32(b), u32(b), u32(b)), false);
            case RPY_SERVER_STATS4 -> new ReplyBody.ServerStats(new ServerStatsReport(b.getLong(), b.getLong(), b.getLong(),
                    b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                    b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong()), true);
            case RPY_NTP_DATA, RPY_NTP_DATA2 -> {
                boolean newForm = code == RPY_NTP_DATA2;
                IpAddr remote = ip(b);
                IpAddr local = ip(b);
                int port = u16(b);
                int leap = b.get() & 0xff, version = b.get() & 0xff, mode = b.get() & 0xff, stratum = b.get() & 0xff;
                int poll = b.get(), precision = b.get();
                double rootDelay = flt(b), rootDisp = flt(b);
                int refId = b.getInt();
                Timespec refTime = ts(b);
                double offset = flt(b), delay = flt(b), disp = flt(b), resp = flt(b), jitter = flt(b);
                int flags = u16(b), tx = b.get() & 0xff, rx = b.get() & 0xff;
                long txc = u32(b), rxc = u32(b), valid = u32(b), good = u32(b);
                long ktx = 0, krx = 0, htx = 0, hrx = 0;
                if (newForm) {
                    ktx = u32(b);
                    krx = u32(b);
                    htx = u32(b);
                    hrx = u32(b);
                }
                yield new ReplyBody.NtpData(new NtpDataReport(remote, local, port, leap, version, mode, stratum, poll,
                        precision, rootDelay, rootDisp, refId, refTime, offset, delay, disp, resp, jitter, flags, tx, rx,
                        txc, rxc, valid, good, ktx, krx, htx, hrx), newForm);
            }
            case RPY_MANUAL_TIMESTAMP2 -> new ReplyBody.ManualTimestamp2(new ManualTimestamp(flt(b), flt(b), flt(b)));
            case RPY_MANUAL_LIST2 -> {
                long n = u32(b);
                List<ManualSample> list = new ArrayList<>();
                for (int i = 0; i < Math.min(n, MAX_MANUAL_LIST_SAMPLES); i++) {
                    list.add(new ManualSample(ts(b), flt(b), flt(b), flt(b)));
                }
                yield new ReplyBody.ManualList(list);
            }
            case RPY_NTP_SOURCE_NAME -> {
                byte[] name = new byte[256];
                b.get(name);
                int len = 0;
                while (len < 256 && name[len] != 0) len++;
                yield new ReplyBody.SourceName(new String(name, 0, len, StandardCharsets.UTF_8));
            }
            case RPY_AUTH_DATA -> {
                AuthDataReport r = new AuthDataReport(u16(b), u16(b), u32(b), u16(b), u16(b), u32(b), u16(b), u16(b), u16(b));
                yield new ReplyBody.AuthData(r);
            }
            case RPY_CLIENT_ACCESSES_BY_INDEX3 -> {
                long indices = u32(b), next = u32(b), n = u32(b);
                List<ClientAccessReport> list = new ArrayList<>();
                for (int i = 0; i < Math.min(n, MAX_CLIENT_ACCESSES); i++) {
                    list.add(new ClientAccessReport(ip(b), u32(b), u32(b), u32(b), u32(b), u32(b), u32(b), b.get(), b.get(),
                            b.get(), b.get(), u32(b), u32(b), u32(b)));
                }
                yield new ReplyBody.ClientAccesses(new ClientAccessPage(indices, next, list));
            }
            case RPY_SELECT_DATA -> {
                int refId = b.getInt();
                IpAddr addr = ip(b);
                int state = b.get() & 0xff;
                boolean auth = b.get() != 0;
                int leap = b.get() & 0xff;
                b.get();
                yield new ReplyBody.SelectData(new SelectDataReport(refId, addr, state, auth, leap, u16(b), u16(b), u32(b),
                        flt(b), flt(b), flt(b)));
            }
            default -> new ReplyBody.Empty();
        };
    }

    // ---------------------------------------------------------------- primitives

    static void ip(ByteBuffer b, IpAddr a) {
        b.put(a.bytes()).putShort((short) a.family()).putShort((short) 0);
    }

    static IpAddr ip(ByteBuffer b) {
        byte[] raw = new byte[16];
        b.get(raw);
        int family = b.getShort() & 0xffff;
        b.getShort();
        return new IpAddr(family, raw);
    }

    static void ts(ByteBuffer b, Timespec t) {
        b.putInt(t.secHigh()).putInt(t.secLow()).putInt(t.nanos());
    }

    static Timespec ts(ByteBuffer b) {
        return new Timespec(b.getInt(), b.getInt(), b.getInt());
    }

    static void flt(ByteBuffer b, double d) {
        b.putInt(CandmFloat.encode(d));
    }

    static double flt(ByteBuffer b) {
        return CandmFloat.decode(b.getInt());
    }

    static int u16(ByteBuffer b) {
        return b.getShort() & 0xffff;
    }

    static long u32(ByteBuffer b) {
        return b.getInt() & 0xffffffffL;
    }
}
