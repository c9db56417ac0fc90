/** The composition root: builds the components from the configuration and owns start/stop order. */
package org.jchrony.daemon;
