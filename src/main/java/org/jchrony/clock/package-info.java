/**
 * The {@link org.jchrony.clock.ClockDriver} interface and its implementations: Linux (FFM
 * adjtimex), {@link org.jchrony.clock.NullClockDriver} (-x: a virtual clock whose corrected time
 * is served), {@link org.jchrony.clock.SimulatedClock} (tests and the simulator), the analytical
 * {@link org.jchrony.clock.SlewState}, and chronyd's {@link org.jchrony.clock.Driftfile}.
 */
package org.jchrony.clock;
