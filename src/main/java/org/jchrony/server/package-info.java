/**
 * The NTP server: a pure responder, access lists, rate limiting and client log, over an immutable snapshot.
 *
 * <p>Wiring (see each class for the chronyd behaviour it matches):
 * <ul>
 * <li>The core thread owns a {@link org.jchrony.server.ServerSnapshotHolder} and publishes a new
 *     {@link org.jchrony.server.ServerSnapshot} whenever the reference or the -x correction changes.</li>
 * <li>One {@link org.jchrony.server.AccessList} (allow/deny) and one {@link org.jchrony.server.ClientLog}
 *     (client records, rate limits, serverstats totals, interleaved timestamps) are shared by all
 *     server threads and by the command handler (cmdallow/cmddeny use another AccessList; command
 *     requests call {@code clientLog.access(ClientLog.CMDMON, ...)}).</li>
 * <li>Each server event loop gets its own {@link org.jchrony.server.Responder} (it keeps random
 *     state, counters and the local reference time) and, optionally, a
 *     {@link org.jchrony.server.KeyTable} for legacy MACs.</li>
 * </ul>
 */
package org.jchrony.server;
