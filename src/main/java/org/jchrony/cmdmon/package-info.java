/** chronyc's command protocol: request decoding, reports built from core state, reply encoding. Pure. */
package org.jchrony.cmdmon;
