/** chrony.conf parsing into typed, validated, immutable directives and {@code DaemonConfig}. No I/O beyond reading the named files. */
package org.jchrony.config;
