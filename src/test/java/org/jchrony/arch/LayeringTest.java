package org.jchrony.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule that keeps the protocol and algorithm code simulatable: the pure packages do no
 * I/O through sockets or FFM, use no Netty, and never read the wall clock themselves.
 */
class LayeringTest {
    private static final String[] PURE = {
        "org.jchrony.ntp..", "org.jchrony.config..", "org.jchrony.discipline..", "org.jchrony.source..",
        "org.jchrony.server..", "org.jchrony.cmdmon..", "org.jchrony.core.."
    };
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.jchrony");
    }

    @Test
    void purePackagesUseNoNettyFfmOrSockets() {
        ArchRule rule = noClasses().that().resideInAnyPackage(PURE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.netty..", "java.lang.foreign..", "java.nio.channels..", "sun.nio..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.MulticastSocket")
                .orShould().dependOnClassesThat().resideInAnyPackage("org.jchrony.net..", "org.jchrony.daemon..",
                        "org.jchrony.cli..", "org.jchrony.client..")
                .because("protocol and algorithm code takes bytes and times as arguments (ARCHITECTURE.md)");
        rule.check(classes);
    }

    @Test
    void purePackagesNeverReadTheWallClock() {
        ArchRule rule = noClasses().that().resideInAnyPackage(PURE)
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .because("time reaches the pure packages only as arguments or through an injected TimeSource/Scheduler");
        rule.check(classes);
    }
}
