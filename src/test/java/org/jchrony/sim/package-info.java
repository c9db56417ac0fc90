/**
 * A deterministic simulator for the discipline, in the spirit of chrony's clknetsim: simulated
 * true time with an event queue ({@link org.jchrony.sim.SimScheduler}, the core
 * {@link org.jchrony.core.Scheduler}), a {@link org.jchrony.clock.SimulatedClock} (or the -x
 * {@link org.jchrony.clock.NullClockDriver}), a network with base delay, exponential jitter,
 * asymmetry and loss, and {@link org.jchrony.sim.SimServer}s answering real NTP packets. The
 * {@link org.jchrony.source.SourceManager} is driven exactly as the daemon drives it.
 *
 * <p>Figures: {@code mvn -q test -Dtest='SimulationScenariosTest,SeedRobustnessTest'} then
 * {@code grep -h '^\[sim\]' target/surefire-reports/*-output.txt}. {@link
 * org.jchrony.sim.ChronydOracleTest} compares conventions and behaviour with Debian's chronyd.
 */
package org.jchrony.sim;
