package io.gemforce.sync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core knows nothing of Parse or of any store, and logs only through the SLF4J API. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.gemforce.sync");

    @Test
    void coreDoesNotDependOnParse() {
        noClasses().that().resideInAPackage("io.gemforce.sync..")
                .should().dependOnClassesThat().resideInAPackage("io.gemforce.sync.parse..")
                .orShould().dependOnClassesThat().haveSimpleNameStartingWith("Parse")
                .check(core);
    }

    @Test
    void coreLogsOnlyThroughSlf4jApi() {
        noClasses().that().resideInAPackage("io.gemforce.sync..")
                .should().dependOnClassesThat().resideInAnyPackage("java.util.logging..", "org.apache.log4j..",
                        "org.apache.logging..", "ch.qos.logback..", "org.slf4j.simple..")
                .check(core);
    }

    @Test
    void theModelDoesNoIo() {
        noClasses().that().resideInAnyPackage("io.gemforce.sync.diamond..", "io.gemforce.sync.event..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gemforce.sync.sink..", "io.gemforce.sync.internal.historical..",
                        "okhttp3..", "java.net..", "java.io..")
                .check(core);
    }

    @Test
    void theStateStepDoesNoIo() {
        noClasses().that().resideInAPackage("io.gemforce.sync.internal.state..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.gemforce.sync.chain.ChainSource")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.gemforce.sync.sink.StateSink")
                .orShould().dependOnClassesThat().resideInAnyPackage("io.gemforce.sync.internal.historical..",
                        "io.gemforce.sync.chain.web3j..", "org.web3j.protocol..", "okhttp3..", "java.net..",
                        "java.io..", "java.util.concurrent..")
                .check(core);
    }

    @Test
    void theReaderKnowsNothingOfStateOrStores() {
        noClasses().that().resideInAPackage("io.gemforce.sync.internal.historical..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gemforce.sync.internal.state..",
                        "io.gemforce.sync.sink..", "io.gemforce.sync.event..")
                .check(core);
    }

    /**
     * web3j's AWS KMS signer and Unix-socket IPC service are excluded from its dependencies (the
     * parent POM): an application that embeds the SDK must not get the AWS SDK, Netty or jnr through
     * it, and nothing in the core may need them.
     */
    @Test
    void web3jsKmsAndIpcDependenciesStayOffTheClassPath() {
        for (String absent : new String[] {"software.amazon.awssdk.services.kms.KmsClient",
                "io.netty.channel.Channel", "jnr.unixsocket.UnixSocketChannel"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Class.forName(absent))
                    .as(absent).isInstanceOf(ClassNotFoundException.class);
        }
        noClasses().that().resideInAPackage("io.gemforce.sync..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "io.netty..", "jnr..",
                        "org.web3j.protocol.ipc..")
                .check(core);
    }
}
