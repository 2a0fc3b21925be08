package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our native age v1 implementation against Debian's {@code age}/{@code age-keygen} (filippo.io/age): files wrapped
 * by the real age are read by us, files we write are read by the real age.
 */
class AgeTest {
    @TempDir
    Path dir;

    private Path keygen(String name) throws Exception {
        Path key = dir.resolve(name);
        TestKeys.Result r = TestKeys.run(Map.of(), null, "age-keygen", "-o", key.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return key;
    }

    private static String recipientOf(Path key) throws Exception {
        TestKeys.Result r = TestKeys.run(Map.of(), null, "age-keygen", "-y", key.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return r.outText().strip();
    }

    private static Age.Identity identityOf(Path key) throws Exception {
        String line = Files.readAllLines(key).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst()
                .orElseThrow();
        return Age.Identity.parse(line);
    }

    @Test
    void derivesTheSameRecipientAsAgeKeygen() throws Exception {
        // given
        Path key = keygen("k.txt");
        // when
        String ours = identityOf(key).recipient();
        // then
        assertThat(ours).isEqualTo(recipientOf(key)).startsWith("age1");
        assertThat(identityOf(key).encoded()).isEqualTo(Files.readAllLines(key).get(2));
    }

    @Test
    void decryptsADataKeyWrappedByRealAge() throws Exception {
        // given: a 32-byte data key wrapped by `age -r <recipient> -a`, as sops stores it
        Path key = keygen("k.txt");
        byte[] dataKey = new byte[32];
        new Random(7).nextBytes(dataKey);
        TestKeys.Result wrapped = TestKeys.run(Map.of(), dataKey, "age", "-r", recipientOf(key), "-a");
        assertThat(wrapped.exit()).as(wrapped.err()).isZero();
        assertThat(wrapped.outText()).startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
        // when
        byte[] out = Age.decrypt(wrapped.out(), List.of(identityOf(key)));
        // then
        assertThat(out).isEqualTo(dataKey);
    }

    @Test
    void realAgeDecryptsWhatWeWrap() throws Exception {
        // given
        Path key = keygen("k.txt");
        byte[] dataKey = new byte[32];
        new Random(8).nextBytes(dataKey);
        // when
        String armored = Age.encryptArmored(List.of(recipientOf(key)), dataKey);
        TestKeys.Result r = TestKeys.run(Map.of(), armored.getBytes(StandardCharsets.US_ASCII), "age", "-d", "-i",
                key.toString());
        // then
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(dataKey);
    }

    @Test
    void streamsPayloadsOfSeveralChunksBothWays() throws Exception {
        // given: 64 KiB * 2 + 100 bytes, so three STREAM chunks, and two recipients
        Path a = keygen("a.txt");
        Path b = keygen("b.txt");
        byte[] big = new byte[2 * 65536 + 100];
        new Random(9).nextBytes(big);
        // when
        byte[] ours = Age.encrypt(List.of(recipientOf(a), recipientOf(b)), big);
        TestKeys.Result theirs = TestKeys.run(Map.of(), big, "age", "-r", recipientOf(b));
        TestKeys.Result ageReadsOurs = TestKeys.run(Map.of(), ours, "age", "-d", "-i", b.toString());
        // then
        assertThat(ageReadsOurs.exit()).as(ageReadsOurs.err()).isZero();
        assertThat(ageReadsOurs.out()).isEqualTo(big);
        assertThat(Age.decrypt(theirs.out(), List.of(identityOf(b)))).isEqualTo(big);
        assertThat(Age.decrypt(ours, List.of(identityOf(a)))).isEqualTo(big);
    }

    @Test
    void realAgeAndWeAgreeOnAnEmptyPayload() throws Exception {
        // given
        Path key = keygen("k.txt");
        // when
        TestKeys.Result theirs = TestKeys.run(Map.of(), new byte[0], "age", "-r", recipientOf(key));
        TestKeys.Result ageReadsOurs = TestKeys.run(Map.of(), Age.encrypt(List.of(recipientOf(key)), new byte[0]),
                "age", "-d", "-i", key.toString());
        // then
        assertThat(Age.decrypt(theirs.out(), List.of(identityOf(key)))).isEmpty();
        assertThat(ageReadsOurs.exit()).as(ageReadsOurs.err()).isZero();
        assertThat(ageReadsOurs.out()).isEmpty();
    }

    @Test
    void refusesAFileForSomeoneElse() throws Exception {
        // given
        Path mine = keygen("mine.txt");
        Path theirs = keygen("theirs.txt");
        byte[] file = Age.encrypt(List.of(recipientOf(theirs)), new byte[32]);
        // when / then
        assertThatThrownBy(() -> Age.decrypt(file, List.of(identityOf(mine))))
                .isInstanceOf(Age.AgeException.class).hasMessageContaining("no identity matched");
    }

    @Test
    void refusesAnAlteredHeader() throws Exception {
        // given: a file by the real age whose recipient share is changed by one character
        Path key = keygen("k.txt");
        TestKeys.Result r = TestKeys.run(Map.of(), new byte[32], "age", "-r", recipientOf(key));
        byte[] file = r.out().clone();
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int macAt = text.indexOf("--- ") + 4;
        file[macAt] = (byte) (file[macAt] == 'A' ? 'B' : 'A');
        // when / then
        assertThatThrownBy(() -> Age.decrypt(file, List.of(identityOf(key))))
                .isInstanceOf(Age.AgeException.class).hasMessageContaining("MAC");
    }

    @Test
    void bech32RejectsAMistypedRecipient() {
        // given
        String good = Age.Identity.generate().recipient();
        char c = good.charAt(10);
        String bad = good.substring(0, 10) + (c == 'q' ? 'p' : 'q') + good.substring(11);
        // when / then
        assertThatThrownBy(() -> Age.parseRecipient(bad)).hasMessageContaining("checksum");
    }
}
