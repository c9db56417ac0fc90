/**
 * jchronyc: chronyc's options, commands and output ({@link org.jchrony.client.JchronycMain},
 * {@link org.jchrony.client.Jchronyc}), over UDP or the daemon's Unix socket
 * ({@link org.jchrony.client.CandmClient}: chronyc's timeouts, retries and sequence checks).
 */
package org.jchrony.client;
