package org.jchrony.client;

import java.io.IOException;
import java.util.random.RandomGenerator;
import org.jchrony.cmdmon.Candm;
import org.jchrony.cmdmon.CandmCodec;
import org.jchrony.cmdmon.Command;

/**
 * chronyc's request/reply exchange: timeout 1 s doubled per attempt, 2 retries, a new random
 * sequence number for each attempt; replies with a wrong header, command or sequence are
 * ignored, short ones cause a resend. Sends chronyc 4.3's request forms by default.
 *
 * <p>Protocol version: requests go out as version 6; as chronyc does, a version 5 reply saying
 * "protocol version mismatch" (an old daemon) switches the client to version 5 for this and all
 * later requests (no padding) and the request is sent again at once, without counting as a retry.
 * A mismatch reply of version 4 is accepted as the answer (chronyc prints "517 Protocol version
 * mismatch").
 */
public final class CandmClient implements AutoCloseable {
    private final Transport transport;
    private final RandomGenerator random;
    private int initialTimeoutMillis = 1000;
    private int maxRetries = 2;
    private boolean newGeneration;
    private int protoVersion = Candm.PROTO_VERSION;

    public CandmClient(Transport transport, RandomGenerator random) {
        this.transport = transport;
        this.random = random;
    }

    public void setInitialTimeoutMillis(int ms) { this.initialTimeoutMillis = ms; }

    public void setMaxRetries(int retries) { this.maxRetries = retries; }

    /** Pad SERVER_STATS/NTP_DATA requests as chronyc 4.4+ does (daemon then sends the newer replies). */
    public void setNewGeneration(boolean v) { this.newGeneration = v; }

    public Transport transport() { return transport; }

    /** The protocol version requests are sent with (6, or 5 after an old daemon answered). */
    public int protocolVersion() { return protoVersion; }

    /** Sends a command and returns the daemon's reply, or null when it did not answer. */
    public CandmCodec.Reply request(Command command) throws IOException {
        byte[] buf = new byte[2048];
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            int sequence = random.nextInt();
            byte[] req = CandmCodec.encodeRequest(new CandmCodec.Request(protoVersion, attempt, sequence, command),
                    newGeneration);
            int dataLength = Candm.requestDataLength(command.code());
            if (protoVersion < Candm.PROTO_VERSION && dataLength >= 0) {
                req = java.util.Arrays.copyOf(req, Candm.REQUEST_HEADER + dataLength); // version 5: no padding
            }
            transport.send(req, req.length);
            boolean resend = false;
            long timeoutNanos = (long) initialTimeoutMillis * (1L << attempt) * 1_000_000L;
            long start = System.nanoTime();
            while (true) {
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) break;
                int n;
                try {
                    n = transport.receive(buf, (int) Math.max(1, left / 1_000_000L));
                } catch (IOException e) {
                    break; // e.g. ICMP port unreachable: chronyc resends at once
                }
                if (n < 0) break;
                if (n < Candm.REPLY_HEADER) continue;
                int version = buf[0] & 0xff;
                int status = (buf[8] & 0xff) << 8 | (buf[9] & 0xff);
                boolean versionOk = version == protoVersion || (version >= 4 && status == 18);
                int cmd = (buf[4] & 0xff) << 8 | (buf[5] & 0xff);
                int seq = (buf[16] & 0xff) << 24 | (buf[17] & 0xff) << 16 | (buf[18] & 0xff) << 8 | (buf[19] & 0xff);
                if (!versionOk || buf[1] != Candm.PKT_TYPE_REPLY || buf[2] != 0 || buf[3] != 0
                        || cmd != command.code() || seq != sequence) {
                    continue;
                }
                if (protoVersion == Candm.PROTO_VERSION && version == Candm.PROTO_VERSION - 1) {
                    protoVersion = Candm.PROTO_VERSION - 1; // an old daemon: speak version 5 from now on
                    resend = true;
                    break;
                }
                int replyCode = (buf[6] & 0xff) << 8 | (buf[7] & 0xff);
                if (n < Candm.replyLength(replyCode)) break; // too short: resend
                try {
                    return CandmCodec.decodeReply(buf, n);
                } catch (IllegalArgumentException e) {
                    // unknown reply type: report it with an empty body, chronyc prints "Bad reply"
                    return new CandmCodec.Reply(version, cmd, replyCode, status, seq,
                            new org.jchrony.cmdmon.ReplyBody.Empty());
                }
            }
            if (resend) attempt--;
        }
        return null;
    }

    @Override
    public void close() { transport.close(); }
}
