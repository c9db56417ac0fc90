package org.jchrony.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jchrony.auth.KeyFile;
import org.jchrony.auth.Keys;
import org.jchrony.cmdmon.Candm;
import org.jchrony.cmdmon.CandmCodec;
import org.jchrony.cmdmon.CommandHandler;
import org.jchrony.cmdmon.InMemoryTarget;
import org.jchrony.cmdmon.Status;
import org.jchrony.config.ConfigException;
import org.jchrony.config.ConfigParser;
import org.jchrony.ntp.MalformedPacketException;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTrailer;
import org.jchrony.server.AccessList;
import org.jchrony.server.ClientLog;
import org.jchrony.server.KeyTable;
import org.jchrony.server.PeerAddress;
import org.jchrony.server.Responder;
import org.jchrony.server.ServerSnapshot;
import org.jchrony.server.ServerSnapshotHolder;

/**
 * The fuzz targets, shared by {@link JazzerFuzzTest} (coverage-guided, Jazzer) and
 * {@link CorpusReplayTest} (replays the saved corpus in the regular suite). Each takes raw
 * bytes and throws {@link AssertionError} (or any unexpected exception) when a property fails:
 * decoders throw only their documented exception, byte-exact codecs re-encode what they decode,
 * responders never throw and never answer with more bytes than they were sent.
 */
public final class FuzzTargets {
    private FuzzTargets() {}

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    // ------------------------------------------------------------------ NTP packet codec

    /** {@link NtpPacket#decodeStrict}, {@link NtpTrailer#scan}/{@link NtpTrailer#parse}: only MalformedPacketException; byte-exact re-encoding. */
    public static void ntpPacket(byte[] data) {
        long scan = data.length >= 48 ? NtpTrailer.scan(data, data.length) : NtpTrailer.INVALID;
        NtpPacket p;
        try {
            p = NtpPacket.decodeStrict(data, 0, data.length);
        } catch (MalformedPacketException e) {
            check(scan == NtpTrailer.INVALID, "decodeStrict rejected what scan accepted");
            return;
        }
        check(scan != NtpTrailer.INVALID, "scan rejected what decodeStrict accepted");
        check(Arrays.equals(p.encode(), data), "NtpPacket decode -> encode not byte-exact");
        NtpTrailer t;
        try {
            t = p.parseTrailer();
        } catch (MalformedPacketException e) {
            throw new AssertionError("parseTrailer failed on a packet decodeStrict accepted", e);
        }
        check(Arrays.equals(p.withTrailer(t).encode(), data), "trailer parse -> encode not byte-exact");
        check(t.length() == data.length - NtpPacket.HEADER_LENGTH, "trailer length");
        int flags = NtpTrailer.flags(scan);
        check(((flags & NtpTrailer.FLAG_EXTENSION_FIELDS) != 0) == !t.extensionFields().isEmpty(), "ext flag vs model");
        boolean macFlag = (flags & (NtpTrailer.FLAG_MAC | NtpTrailer.FLAG_CRYPTO_NAK | NtpTrailer.FLAG_MSSNTP
                | NtpTrailer.FLAG_MSSNTP_EXT)) != 0;
        check(macFlag == (t.mac() != null), "mac flag vs model");
        // the same bytes at an offset inside a larger buffer decode the same
        byte[] shifted = new byte[data.length + 7];
        System.arraycopy(data, 0, shifted, 3, data.length);
        try {
            check(NtpPacket.decodeStrict(shifted, 3, data.length).equals(p), "decodeStrict at an offset differs");
        } catch (MalformedPacketException e) {
            throw new AssertionError("decodeStrict at an offset rejected an accepted packet", e);
        }
    }

    // ------------------------------------------------------------------ NTP server

    private static final class ResponderHolder {
        static final KeyTable KEYS = new KeyTable();
        static final Responder RESPONDER;
        static final byte[] OUT = new byte[65536];
        static long now = 1_795_000_000_123_456_789L;

        static {
            KEYS.add(1, "MD5", "fuzzkey-md5".getBytes(StandardCharsets.US_ASCII));
            KEYS.add(2, "SHA1", "fuzzkey-sha1".getBytes(StandardCharsets.US_ASCII));
            KEYS.add(3, "AES128", new byte[16]);
            KEYS.add(4, "SHA512", "fuzzkey-sha512".getBytes(StandardCharsets.US_ASCII));
            AccessList all = new AccessList();
            all.add(true, false, null, 0);
            RESPONDER = new Responder(new ServerSnapshotHolder(ServerSnapshot.localStratum(10, -26)), () -> now, all,
                    ClientLog.unlimited(new SplittableRandom(1)), KEYS, new SplittableRandom(2));
        }
    }

    /**
     * {@link Responder#handle}: never throws, never counts an internal error, never replies longer than
     * the request, and what it sends is a well-formed server/passive packet of the request's version.
     * The first byte chooses the client's port (123 or not); the rest is the datagram.
     */
    public static void responder(byte[] data) {
        if (data.length == 0) return;
        byte[] in = Arrays.copyOfRange(data, 1, data.length);
        PeerAddress peer = new PeerAddress();
        peer.setInet4(0x7f000001 + (data[0] & 0x0f), (data[0] & 0x80) != 0 ? 123 : 40000 + (data[0] & 0x70));
        long before = ResponderHolder.RESPONDER.counters().internalErrors();
        ResponderHolder.now += 1_000_000L;
        int n = ResponderHolder.RESPONDER.handle(in, in.length, peer, ResponderHolder.now - 20_000, ResponderHolder.OUT);
        check(ResponderHolder.RESPONDER.counters().internalErrors() == before, "Responder internal error");
        check(n >= 0 && n <= in.length, "reply length " + n + " for a request of " + in.length);
        if (n == 0) return;
        try {
            NtpPacket reply = NtpPacket.decodeStrict(ResponderHolder.OUT, 0, n);
            check(reply.mode() == 4 || reply.mode() == 2, "reply mode " + reply.mode());
            check(reply.version() == ((in[0] >>> 3) & 7), "reply version differs from request");
        } catch (MalformedPacketException e) {
            throw new AssertionError("Responder sent a malformed packet", e);
        }
    }

    // ------------------------------------------------------------------ chronyc protocol

    private static final class CommandHolder {
        static final InMemoryTarget TARGET = new InMemoryTarget();
        static final CommandHandler NO_CMDALLOW = new CommandHandler(TARGET, p -> false);
        static final CommandHandler CMDALLOW_ALL = new CommandHandler(TARGET, p -> true);
        static final byte[] OUT = new byte[4096];
    }

    /**
     * {@link CommandHandler#handle} and {@link CandmCodec}. The first byte chooses the peer: Unix
     * socket, 127.0.0.1 (UDP), or 127.0.0.2 (remote) with or without cmdallow. Never an internal
     * error, never a reply longer than the request, remote without cmdallow: silence, over UDP no
     * privileged command succeeds. Requests and replies re-encode to a fixed point.
     */
    public static void command(byte[] data) {
        if (data.length == 0) return;
        byte[] in = Arrays.copyOfRange(data, 1, data.length);
        PeerAddress peer = new PeerAddress();
        int sel = data[0] & 3;
        switch (sel) {
            case 0 -> peer.setUnix();
            case 1 -> peer.setInet4(0x7f000001, 50000);
            default -> peer.setInet4(0x7f000002, 50000);
        }
        CommandHandler h = sel == 3 ? CommandHolder.CMDALLOW_ALL : CommandHolder.NO_CMDALLOW;
        long before = h.internalErrors();
        int n = h.handle(in, in.length, peer, 1_795_000_000_000_000_000L, CommandHolder.OUT);
        check(h.internalErrors() == before, "CommandHandler internal error");
        check(n >= 0 && n <= in.length, "reply length " + n + " for a request of " + in.length);
        if (sel == 2) check(n == 0, "remote host without cmdallow got a reply");
        if (n > 0) {
            CandmCodec.Reply r = CandmCodec.decodeReply(CommandHolder.OUT, n);
            int command = (in[4] & 0xff) << 8 | (in[5] & 0xff);
            check(r.command() == command, "reply command not echoed");
            if (sel != 0 && !Candm.openOverUdp(command) && Candm.knownRequest(command) && in[0] == 6) {
                check(r.status() != Status.SUCCESS.code(), "privileged command " + command + " succeeded over UDP");
            }
            byte[] again = CandmCodec.encodeReply(r);
            check(Arrays.equals(again, Arrays.copyOf(CommandHolder.OUT, n)), "reply encode(decode) not byte-exact");
        }
        // codec: request decode -> encode -> decode -> encode is a fixed point
        if (in.length >= Candm.REQUEST_HEADER) {
            CandmCodec.Request req;
            try {
                req = CandmCodec.decodeRequest(in, in.length);
            } catch (IllegalArgumentException e) {
                return;
            }
            int code = req.command().code();
            if (code > 0xffff || (Candm.requestLength(code) == 0 && !(req.command() instanceof org.jchrony.cmdmon.Command.Unknown))) return;
            byte[] e1;
            try {
                e1 = CandmCodec.encodeRequest(req, false);
            } catch (IllegalArgumentException e) {
                return; // no layout for this code in the old generation
            }
            byte[] e2 = CandmCodec.encodeRequest(CandmCodec.decodeRequest(e1, e1.length), false);
            check(Arrays.equals(e1, e2), "request encode(decode(encode)) not a fixed point");
        }
    }

    /** {@link CandmCodec#decodeReply}: only IllegalArgumentException; decode -> encode -> decode -> encode a fixed point. */
    public static void candmReply(byte[] data) {
        CandmCodec.Reply r;
        try {
            r = CandmCodec.decodeReply(data, data.length);
        } catch (IllegalArgumentException e) {
            return;
        }
        byte[] e1 = CandmCodec.encodeReply(r);
        byte[] e2 = CandmCodec.encodeReply(CandmCodec.decodeReply(e1, e1.length));
        check(Arrays.equals(e1, e2), "reply encode(decode(encode)) not a fixed point");
    }

    // ------------------------------------------------------------------ text formats

    /** {@link ConfigParser#parseLines}: only ConfigException. */
    public static void config(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\n", -1));
        try {
            ConfigParser.parseLines(lines, "fuzz.conf");
        } catch (ConfigException e) {
            check(e.getMessage() != null && !e.getMessage().isEmpty(), "ConfigException without a message");
        }
    }

    /** {@link KeyFile#parse}: never throws; every line is a key, a problem, or blank/comment. */
    public static void keyFile(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<String> lines = List.of(text.split("\n", -1));
        Keys keys = KeyFile.parse("fuzz.keys", lines);
        check(keys.size() + keys.problems().size() <= lines.size() * 2, "more keys/problems than lines");
        byte[] packet = new byte[48 + 4 + 64];
        for (long id : keys.byId().keySet()) {
            int total = keys.sign(id, 4, packet, 48);
            check(total > 48 && total <= 48 + 4 + 20, "signed length " + total);
            check(keys.verify(id, packet, 48, total - 48, 20), "key " + id + " does not verify its own MAC");
        }
    }
}
