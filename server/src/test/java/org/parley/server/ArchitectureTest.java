package org.parley.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The server's package rules (docs/architecture.md), checked on its compiled classes: no cycles between packages,
 * feature packages import no adapter (wire, storage adapters, operations) and nothing but the composition root
 * imports it.
 */
class ArchitectureTest {

    private static final String[] FEATURES = {"..server.accounts..", "..server.admin..", "..server.contacts..",
        "..server.conversations..", "..server.directory..", "..server.files..", "..server.media..",
        "..server.messages..", "..server.presence..", "..server.reactions..", "..server.search..",
        "..server.common.."};

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.parley.server");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.parley.server.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void featuresImportNoAdapter() {
        noClasses().that().resideInAnyPackage(FEATURES).and().resideOutsideOfPackage("..server.search.lucene..")
                .should().dependOnClassesThat().resideInAnyPackage(
                "..server.wire..", "..server.storage.jdbc..", "..server.storage.h2..",
                "..server.storage.postgresql..", "..server.ops..", "..server.search.lucene..", "..server.cluster..")
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootImportsItself() {
        noClasses().that().resideOutsideOfPackage("org.parley.server").should().dependOnClassesThat()
                .resideInAPackage("org.parley.server").check(classes);
    }
}
