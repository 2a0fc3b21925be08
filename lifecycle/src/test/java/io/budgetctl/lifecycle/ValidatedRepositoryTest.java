package io.budgetctl.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validated repository is reused only while every byte of the repository is the same. */
class ValidatedRepositoryTest {
    @TempDir
    Path tmp;

    Path repo;

    @BeforeEach
    void copyOfTheExampleRepository() throws IOException {
        ValidatedRepository.forget();
        Path src = Path.of("..", "inventory");
        repo = tmp.resolve("repo");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = repo.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void givenAnUnchangedRepository_whenOpenedAgain_thenTheSameValidationIsReused() {
        // when
        ValidatedRepository first = ValidatedRepository.open(repo);
        ValidatedRepository second = ValidatedRepository.open(repo);

        // then
        assertThat(second).isSameAs(first);
        assertThat(first.inventory().hostNames()).contains("acme", "epsilon", "zeta");
    }

    @Test
    void givenManyThreadsOfOneFleetCommand_whenTheyOpenTheRepository_thenAllGetOneValidation() throws Exception {
        // given
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ValidatedRepository>> f = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                f.add(pool.submit(() -> ValidatedRepository.open(repo)));
            }
            // then
            ValidatedRepository one = f.get(0).get();
            for (Future<ValidatedRepository> each : f) {
                assertThat(each.get()).isSameAs(one);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenAClientFileEditedBetweenTwoCustomers_whenOpenedAgain_thenTheEditIsValidatedAndUsed() throws IOException {
        // given
        ValidatedRepository before = ValidatedRepository.open(repo);
        Path zeta = repo.resolve("clients/zeta.yaml");
        Files.writeString(zeta, Files.readString(zeta).replace("address: demo.itbm.example",
                "address: demo2.itbm.example"));

        // when
        ValidatedRepository after = ValidatedRepository.open(repo);

        // then
        assertThat(after).isNotSameAs(before);
        assertThat(after.inventory().hostVars("zeta")).containsEntry("ansible_host", "demo2.itbm.example");
        assertThat(before.inventory().hostVars("zeta")).containsEntry("ansible_host", "demo.itbm.example");
    }

    @Test
    void givenAnEditThatBreaksTheRepository_whenOpenedAgain_thenItIsRefusedAsWithoutTheCache() throws IOException {
        // given: validated once, then a client file with an unknown key
        ValidatedRepository.open(repo);
        Path zeta = repo.resolve("clients/zeta.yaml");
        String good = Files.readString(zeta);
        Files.writeString(zeta, good + "colour: green\n");

        // then
        assertThatThrownBy(() -> ValidatedRepository.open(repo)).isInstanceOf(EngineException.class)
                .hasMessageContaining("colour");

        // and when fixed again: the same bytes as the first time validate
        Files.writeString(zeta, good);
        assertThat(ValidatedRepository.open(repo).inventory().hostNames()).contains("zeta");
    }

    @Test
    void givenOnlyGitMetadataChanged_whenOpenedAgain_thenTheValidationIsReused() throws IOException {
        // given
        Files.createDirectories(repo.resolve(".git"));
        ValidatedRepository before = ValidatedRepository.open(repo);
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");

        // then
        assertThat(ValidatedRepository.open(repo)).isSameAs(before);
    }

    @Test
    void givenTheControllerWritingItsAuditLogInTheRepository_whenOpenedAgain_thenTheValidationIsReused()
            throws IOException {
        // given: the audit log of a running fleet command kept in the repository, as the integration tests do
        ValidatedRepository before = ValidatedRepository.open(repo);
        Files.writeString(repo.resolve("controller-audit.log"), "{\"seq\":1}\n");
        Files.writeString(repo.resolve("controller-audit.log.head"), "{\"seq\":1}\n");
        Files.writeString(repo.resolve("controller-audit.log.head.tmp"), "{\"seq\":2}\n");

        // then: none of it is validation input, so nothing is validated again
        assertThat(ValidatedRepository.open(repo)).isSameAs(before);
        String withTmp = ValidatedRepository.digest(repo);
        Files.delete(repo.resolve("controller-audit.log.head.tmp"));
        assertThat(ValidatedRepository.digest(repo)).isEqualTo(withTmp);
    }

    @Test
    void givenAClientFileNamedLikeALog_whenDigested_thenOnlyTheControllersOwnFileNamesAreLeftOut() {
        assertThat(ValidatedRepository.writtenByTheController("controller-audit.log.head.tmp")).isTrue();
        assertThat(ValidatedRepository.writtenByTheController(".zeta.yaml.123.tmp")).isTrue();
        assertThat(ValidatedRepository.writtenByTheController("zeta.yaml")).isFalse();
        assertThat(ValidatedRepository.writtenByTheController("access.yaml")).isFalse();
    }
    @Test
    void givenAFileThatGoesBetweenListingAndReading_whenWalked_thenItIsPassedOverAndOtherErrorsStillFail() {
        // given: the walk's callbacks as Files.walkFileTree makes them when a listed file has gone by the time its
        // attributes are read (another customer's worker renamed its audit head .tmp into place)
        List<Path> files = new ArrayList<>();
        ValidatedRepository.Listing listing = new ValidatedRepository.Listing(repo, files);
        Path gone = repo.resolve("controller-audit.log.head.tmp");

        // then
        assertThatCode(() -> assertThat(listing.visitFileFailed(gone, new NoSuchFileException(gone.toString())))
                .isEqualTo(FileVisitResult.CONTINUE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> listing.visitFileFailed(repo.resolve("zeta.yaml"),
                new AccessDeniedException(repo.resolve("zeta.yaml").toString())))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(files).isEmpty();
    }

    @Test
    void givenAnotherThreadWritingAndRenamingTmpFiles_whenDigestedOverAndOver_thenTheDigestNeitherFailsNorChanges()
            throws Exception {
        // given: the audit sink's write-then-rename, as fast as a thread can do it, beside the digest
        String expected = ValidatedRepository.digest(repo);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            Path tmp = repo.resolve("controller-audit.log.head.tmp");
            Path head = repo.resolve("controller-audit.log.head");
            for (long seq = 0; !stop.get(); seq++) {
                try {
                    Files.writeString(tmp, "{\"seq\":" + seq + "}\n");
                    Files.move(tmp, head, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        writer.start();
        try {
            // when / then: without passing over vanished files this failed within ~30000 digests on 2 cores
            for (int i = 0; i < 20000; i++) {
                assertThat(ValidatedRepository.digest(repo)).isEqualTo(expected);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
