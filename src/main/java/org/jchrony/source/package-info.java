/** Upstream sources (server/pool/peer): polling state machines that take packets and times and return actions. Pure. */
package org.jchrony.source;
