/**
 * chronyc's command protocol (candm, version 6) on the daemon side. Pure: no I/O, no clock.
 *
 * <ul>
 *   <li>{@link org.jchrony.cmdmon.CandmCodec}: requests ({@link org.jchrony.cmdmon.Command}) and
 *       replies ({@link org.jchrony.cmdmon.ReplyBody}) of chronyc 4.3 and 4.4–4.8, byte-exact
 *       with captured packets; {@link org.jchrony.cmdmon.CandmFloat}, {@link org.jchrony.cmdmon.IpAddr},
 *       {@link org.jchrony.cmdmon.Timespec} are the wire types; {@link org.jchrony.cmdmon.Candm}
 *       the codes and lengths.</li>
 *   <li>{@link org.jchrony.cmdmon.CommandHandler}: a {@code DatagramHandler} for the cmdport
 *       sockets (UDP and Unix) with chronyd's validation, access rules and padding rule; it
 *       answers from a {@link org.jchrony.cmdmon.CommandTarget} the daemon implements.</li>
 * </ul>
 */
package org.jchrony.cmdmon;
