package io.budgetctl.modules.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real ansible 2.14 (ad-hoc, local connection) and our module on identical copies of a file and compares
 * the files produced, the changed flag and the message. Needs ansible-core on this machine.
 */
class AnsibleParityIT {
    @TempDir
    Path dir;

    private static final String START = "# comment\nPort 22\n#PermitRootLogin yes\nListen 80\n[main]\nx=1\n";

    private record Outcome(boolean changed, String msg, String content) {
    }

    @SuppressWarnings("unchecked")
    private Outcome ansible(String module, Path file, Map<String, Object> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ansible", "localhost", "-c", "local", "-m", module, "-a",
                new ObjectMapper().writeValueAsString(withPath(args, file))));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(false);
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Object> res = new ObjectMapper().readValue(out.substring(out.indexOf("=>") + 2), Map.class);
        return new Outcome(Boolean.TRUE.equals(res.get("changed")), String.valueOf(res.get("msg")),
                Files.exists(file) ? Files.readString(file) : null);
    }

    private Outcome ours(Module m, Path file, Map<String, Object> args) throws Exception {
        FileModuleTestKit kit = new FileModuleTestKit(m, null);
        List<Object> kv = new ArrayList<>();
        withPath(args, file).forEach((k, v) -> {
            kv.add(k);
            kv.add(v);
        });
        Result r = kit.run(kv.toArray());
        assertThat(r).isNotInstanceOf(Result.Failed.class);
        return new Outcome(r instanceof Result.Changed, String.valueOf(r.data().get("msg")),
                Files.exists(file) ? Files.readString(file) : null);
    }

    private static Map<String, Object> withPath(Map<String, Object> args, Path file) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(args);
        m.put("path", file.toString());
        return m;
    }

    private void compare(Module module, String name, List<Map<String, Object>> cases) throws Exception {
        int i = 0;
        for (Map<String, Object> args : cases) {
            Path a = Files.writeString(dir.resolve(name + i + ".ansible"), START);
            Path b = Files.writeString(dir.resolve(name + i + ".ours"), START);
            Outcome theirs = ansible(name, a, args);
            Outcome mine = ours(module, b, args);
            assertThat(mine).as("%s %s", name, args).isEqualTo(theirs);
            // and a second run: both idempotent in the same way
            assertThat(ours(module, b, args)).as("second %s %s", name, args)
                    .isEqualTo(ansible(name, a, args));
            i++;
        }
    }

    @Test
    void lineinfileProducesTheSameFilesAndStatuses() throws Exception {
        compare(new LineinfileModule(), "lineinfile", List.of(
                Map.of("regexp", "^#?PermitRootLogin", "line", "PermitRootLogin no"),
                Map.of("line", "y=2", "insertafter", "^\\[main\\]"),
                Map.of("line", "first", "insertbefore", "BOF"),
                Map.of("line", "Port 22"),
                Map.of("regexp", "^Listen (\\d+)", "line", "Listen \\1 ssl", "backrefs", true),
                Map.of("regexp", "^#", "state", "absent"),
                Map.of("line", "new", "insertbefore", "^Port"),
                Map.of("search_string", "Port", "line", "Port 2222")));
    }

    @Test
    void blockinfileProducesTheSameFilesAndStatuses() throws Exception {
        compare(new BlockinfileModule(), "blockinfile", List.of(
                Map.of("block", "a=1\nb=2"),
                Map.of("block", "a=1", "insertafter", "^\\[main\\]"),
                Map.of("block", "a=1", "insertbefore", "BOF", "marker", "; {mark} app"),
                Map.of("block", "", "state", "absent")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void statReportsTheSameValues() throws Exception {
        // given
        Path f = Files.writeString(dir.resolve("s.txt"), "hello\n");
        Path l = Files.createSymbolicLink(dir.resolve("l"), f.getFileName());
        for (Path p : List.of(f, l, dir)) {
            ProcessBuilder pb = new ProcessBuilder("ansible", "localhost", "-c", "local", "-m", "stat", "-a",
                    "path=" + p);
            pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
            pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
            Process proc = pb.start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            proc.waitFor();
            Map<String, Object> theirs = (Map<String, Object>) new ObjectMapper()
                    .readValue(out.substring(out.indexOf("=>") + 2), Map.class).get("stat");
            // when
            Map<String, Object> mine = (Map<String, Object>) new FileModuleTestKit(new StatModule(), null)
                    .run("path", p.toString()).data().get("stat");
            // then: every key we report that Ansible reports has the same value (numbers compared as numbers)
            for (String k : List.of("exists", "path", "mode", "isdir", "isreg", "islnk", "uid", "gid", "pw_name",
                    "gr_name", "size", "inode", "dev", "nlink", "checksum", "lnk_source", "lnk_target", "readable",
                    "writeable", "executable", "mimetype", "charset", "rusr", "wgrp", "xoth", "blocks")) {
                Object t = theirs.get(k);
                Object m = mine.get(k);
                if (t instanceof Number tn && m instanceof Number mn) {
                    assertThat(mn.longValue()).as("%s of %s", k, p).isEqualTo(tn.longValue());
                } else {
                    assertThat(m).as("%s of %s", k, p).isEqualTo(t);
                }
            }
            assertThat(((Number) mine.get("mtime")).doubleValue()).as("mtime of %s", p)
                    .isCloseTo(((Number) theirs.get("mtime")).doubleValue(), org.assertj.core.data.Offset.offset(1e-3));
        }
    }
}
