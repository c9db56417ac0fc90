/** Small shared abstractions (scheduler, time source) injected into the pure packages. No I/O here. */
package org.jchrony.core;
