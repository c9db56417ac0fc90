/** Sample filtering, regression (sourcestats), source selection, combining and the reference update. Pure: no I/O, no clock reads. */
package org.jchrony.discipline;
