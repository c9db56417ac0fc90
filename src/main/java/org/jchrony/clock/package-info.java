/** The {@link org.jchrony.clock.ClockDriver} interface and its Linux (FFM adjtimex), null (-x) and simulated implementations. */
package org.jchrony.clock;
