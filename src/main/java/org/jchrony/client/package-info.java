/** jchronyc: chronyc's options, commands and output. */
package org.jchrony.client;
