package org.jchrony.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** format(parse(line)) parses back to the same directive, for every kind of directive. */
class RoundTripTest {

    static Stream<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        DirectiveParseTest.simpleDirectives().forEach(a -> lines.add((String) a.get()[0]));
        DirectiveParseTest.accessRules().forEach(a -> {
            lines.add((String) a.get()[0]);
            lines.add("cmd" + a.get()[0]);
        });
        for (String f : List.of("all-directives-4.8.conf", "example3-uncommented.conf")) {
            for (String l : Files.readAllLines(ShippedConfigTest.resource(f))) {
                if (!LineParser.normalize(l).isEmpty()) {
                    lines.add(l);
                }
            }
        }
        lines.add("server a minpoll -3 maxpoll 2 presend 5 version 2 minsamples 0 maxsamples 0 filter 0 key 4294967295"
                + " maxdelay 1e-300 offset -0.0 asymmetry inf maxdelayratio 1.0000000000000002");
        lines.add("refclock SOCK /run/chrony.sock refid \u00e9A rate 4 minsamples 2 maxsamples 4 precision 1e-9");
        lines.add("log");
        return lines.stream();
    }

    static Directive parse(String line) throws ConfigException {
        return ConfigParser.parseLines(List.of(line), "t").directives().get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void formatParsesBackToTheSameDirective(String line) throws ConfigException {
        Directive d = parse(line);
        String text = ConfigFormatter.format(d);
        Directive again = parse(text);
        assertEquals(d, again, text);
        assertEquals(text, ConfigFormatter.format(again));
    }

    @Test
    void canonicalFormsOmitDefaults() throws ConfigException {
        assertEquals("server ntp.example.net iburst", ConfigFormatter.format(parse("Server  ntp.example.net IBURST minpoll 6")));
        assertEquals("pool p maxsources 2", ConfigFormatter.format(parse("pool p maxsources 2")));
        assertEquals("allow all 10.0.0.0/8", ConfigFormatter.format(parse("allow all 10")));
        assertEquals("maxslewrate 83333.333", ConfigFormatter.format(parse("maxslewrate 83333.333")));
        assertEquals("reselectdist 1.0E-4", ConfigFormatter.format(parse("reselectdist 1e-4")));
        assertEquals("local stratum 10 distance 1 activate 0 waitsynced 0 waitunsynced 0",
                ConfigFormatter.format(parse("local")));
    }
}
