package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel fleet deploys give every customer its own {@link Audit} on the same controller log. A file lock belongs to
 * the process, so before the per-file monitor two threads locking the same file threw OverlappingFileLockException
 * (as an EngineException "cannot write the audit log"). Every line must arrive whole and none may be lost.
 */
class AuditConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void manyThreadsWithTheirOwnAuditOnOneFileAllAppendWholeLines() throws Exception {
        // given
        Path log = dir.resolve("state/audit.log");
        int threads = 8;
        int perThread = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        // when
        for (int t = 0; t < threads; t++) {
            int id = t;
            // two spellings of the same path: the monitor is per file, not per Path object
            Path spelled = id % 2 == 0 ? log : dir.resolve("state/./audit.log");
            futures.add(pool.submit(() -> {
                Audit audit = new Audit(spelled, Clock.systemUTC());
                start.await();
                for (int i = 0; i < perThread; i++) {
                    audit.record(new AccessDecision(OperatorIdentity.ofGit("t" + id + "@example"), "op",
                            "deploy", "c" + id + "-" + i, "prod", true, "deployer", "test"));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);  // rethrows what a thread threw
        }
        pool.shutdown();
        // then
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(threads * perThread);
        Set<String> clients = new HashSet<>();
        for (String l : lines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.readValue(l, Map.class);
            clients.add((String) m.get("client"));
        }
        assertThat(clients).hasSize(threads * perThread);
        // and the appends, serialised, form one intact hash chain (seq 1..n, each prev the hash of the line before)
        AuditChain.Result chain = AuditChain.verify(log);
        assertThat(chain.problem()).isNull();
        assertThat(chain.entries()).isEqualTo(threads * perThread);
        assertThat(chain.headChecked()).isTrue();
    }
}
