/**
 * Sample filtering, regression (sourcestats), source selection, combining and the reference
 * update. Pure: no I/O, no clock reads (time only through {@link org.jchrony.discipline.LocalClock}).
 *
 * <p>Pieces: {@link org.jchrony.discipline.SourceStats} (per-source weighted regression + runs
 * test, chronyc sourcestats), {@link org.jchrony.discipline.Discipline} (selection with
 * falseticker detection, combining, frequency/offset/step/leap to the
 * {@link org.jchrony.clock.ClockDriver}), report records {@link org.jchrony.discipline.TrackingData},
 * {@link org.jchrony.discipline.SourceData}, {@link org.jchrony.discipline.SourceStatsData} and the
 * server snapshot {@link org.jchrony.discipline.ReferenceState}.
 *
 * <p>Sign conventions (checked against Debian's chronyd 4.3 and chronyc): sample and stats
 * offsets are positive when the local clock is ahead of the source; tracking's current
 * correction is positive when the clock is slow of NTP time; tracking's frequency is negative
 * when the uncorrected clock is slow (the negation of the driver's correction), as the
 * driftfile stores it.
 */
package org.jchrony.discipline;
