/**
 * Upstream sources (server/pool/peer): polling state machines that take packets and times and
 * send through an injected {@link org.jchrony.source.Transport}. Pure.
 *
 * <p>{@link org.jchrony.source.SourceManager} is the facade the daemon wires: add sources, feed
 * datagrams with their raw RX time to {@code onResponse}, listen for reference updates, read
 * reports, run chronyc commands. Everything runs on the core thread.
 */
package org.jchrony.source;
