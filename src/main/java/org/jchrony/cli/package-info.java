/** jchronyd's command line (chronyd's options). */
package org.jchrony.cli;
