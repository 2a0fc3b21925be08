package io.budgetctl.modules;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.commands.CommandModule;
import io.budgetctl.modules.commands.ScriptModule;
import io.budgetctl.modules.commands.ShellModule;
import io.budgetctl.modules.docker.DockerComposeModule;
import io.budgetctl.modules.docker.DockerImageModule;
import io.budgetctl.modules.docker.DockerLoginModule;
import io.budgetctl.modules.files.BlockinfileModule;
import io.budgetctl.modules.files.CopyModule;
import io.budgetctl.modules.files.FetchModule;
import io.budgetctl.modules.files.FileModule;
import io.budgetctl.modules.files.GetUrlModule;
import io.budgetctl.modules.files.LineinfileModule;
import io.budgetctl.modules.files.StatModule;
import io.budgetctl.modules.files.TemplateModule;
import io.budgetctl.modules.files.UnarchiveModule;
import io.budgetctl.modules.net.UriModule;
import io.budgetctl.modules.system.AptModule;
import io.budgetctl.modules.system.SystemdModule;
import org.junit.jupiter.api.Test;

/**
 * Modules read their arguments through ArgSpec (ModuleBase.run), as ansible-core's AnsibleModule does: what the
 * hand conversions used to accept or word differently now follows Ansible. The cases fail before the module touches
 * the host, but for argv given as text, which runs echo on this machine. What get_url and uri build from the
 * values they accept is checked in their own packages (GetUrlModuleTest, UriModuleTest), where those helpers are seen.
 */
class ModuleArgumentsTest {
    /** Ansible's list of booleans, as convert_bool.boolean prints it in its error. */
    private static final String VALID = "Valid booleans include: 'y', 'yes', 'on', '1', 'true', 't', 1, 1.0, True,"
            + " 'n', 'no', 'off', '0', 'false', 'f', 0, 0.0, False";

    private static Result run(Module module, Object... kv) {
        return module.run(ModuleTestSupport.local(), ModuleTestSupport.args(kv));
    }

    private static String notABool(String arg, String value) {
        return "argument '" + arg + "' is of type <class 'str'> and we were unable to convert to bool: The value '"
                + value + "' is not a valid boolean.  " + VALID;
    }

    @Test
    void fileModulesTakeOnlyAnsiblesBooleans() {
        // then: the message is Ansible's; '' and '1.0' were read as false and true by FileSupport.bool
        assertThat(run(new FileModule(), "path", "/nonexistent/x", "force", "maybe").msg())
                .isEqualTo(notABool("force", "maybe"));
        assertThat(run(new FileModule(), "path", "/nonexistent/x", "recurse", "").msg())
                .isEqualTo(notABool("recurse", ""));
        assertThat(run(new CopyModule(), "dest", "/nonexistent/x", "content", "a", "backup", "1.0").msg())
                .isEqualTo(notABool("backup", "1.0"));
        assertThat(run(new TemplateModule(), "src", "t.j2", "dest", "/nonexistent/x", "force", "sometimes").msg())
                .isEqualTo(notABool("force", "sometimes"));
        assertThat(run(new LineinfileModule(), "path", "/nonexistent/x", "line", "a", "create", "nah").msg())
                .isEqualTo(notABool("create", "nah"));
    }

    @Test
    void lineEditorsDeclareAnsiblesMutuallyExclusiveArguments() {
        // then: in Ansible's words and order (lineinfile.py, blockinfile.py)
        assertThat(run(new LineinfileModule(), "path", "/nonexistent/x", "line", "a", "insertafter", "x",
                "insertbefore", "y").msg()).isEqualTo("parameters are mutually exclusive: insertbefore|insertafter");
        assertThat(run(new LineinfileModule(), "path", "/nonexistent/x", "regexp", "a", "search_string", "b").msg())
                .isEqualTo("parameters are mutually exclusive: regexp|search_string");
        assertThat(run(new LineinfileModule(), "path", "/nonexistent/x", "line", "a", "search_string", "b",
                "backrefs", false).msg()).isEqualTo("parameters are mutually exclusive: backrefs|search_string");
        assertThat(run(new BlockinfileModule(), "path", "/nonexistent/x", "insertafter", "x", "insertbefore", "y")
                .msg()).isEqualTo("parameters are mutually exclusive: insertbefore|insertafter");
    }

    @Test
    void statAndFetchLeaveChoicesAndBooleansToTheSpec() {
        // then: the same words stat's own check used; fetch's booleans as Ansible's module arguments
        assertThat(run(new StatModule(), "path", "/", "checksum_algorithm", "crc32").msg())
                .isEqualTo("value of checksum_algorithm must be one of: md5, sha1, sha224, sha256, sha384, sha512,"
                        + " got: crc32");
        assertThat(run(new FetchModule(), "src", "/etc/hostname", "dest", "/tmp/x", "flat", "maybe").msg())
                .isEqualTo(notABool("flat", "maybe"));
    }

    @Test
    void getUrlAndUnarchiveReadListsDictsAndIntsAsAnsible() {
        // then: ansible-core 2.14 refuses header text without '=' and a timeout with a fraction
        assertThat(run(new GetUrlModule(), "url", "http://h/x", "dest", "/tmp/x", "headers", "Accept:text/plain")
                .msg()).isEqualTo("argument 'headers' is of type <class 'str'> and we were unable to convert to dict:"
                        + " dictionary requested, could not parse JSON or key=value");
        assertThat(run(new GetUrlModule(), "url", "http://h/x", "dest", "/tmp/x", "timeout", 2.5).msg())
                .isEqualTo("argument 'timeout' is of type <class 'float'> and we were unable to convert to int:"
                        + " <class 'float'> cannot be converted to an int");
        assertThat(new UnarchiveModule().spec().check(ModuleTestSupport.args("src", "a.tgz", "dest", "/d",
                "extra_opts", "--strip-components=1 --no-same-owner,-v")).list("extra_opts"))
                .containsExactly("--strip-components=1 --no-same-owner", "-v");
    }

    @Test
    void commandModulesReadBooleansAndListsAsAnsible() {
        // then: CommandSupport.bool said "must be a boolean (true/false, yes/no)" and took '' as false
        assertThat(run(new CommandModule(), "_raw_params", "true", "strip_empty_ends", "maybe").msg())
                .isEqualTo(notABool("strip_empty_ends", "maybe"));
        assertThat(run(new ShellModule(), "_raw_params", "true", "stdin_add_newline", "").msg())
                .isEqualTo(notABool("stdin_add_newline", ""));
        // argv text is split at commas as Ansible's list type does (it was refused)
        assertThat(run(new CommandModule(), "argv", "echo,two words").data()).containsEntry("stdout", "two words")
                .containsEntry("cmd", java.util.List.of("echo", "two words"));
        // script's decrypt is not read, and Ansible's script action refuses no value of it
        assertThat(run(new ScriptModule(), "decrypt", "maybe").msg())
                .isEqualTo("no script given: script: path/to/script.sh [arguments]");
    }

    @Test
    void aptAndSystemdReadIntsAndBooleansAsAnsible() {
        // then: CommandSupport.integer truncated "1.5" to 1; Ansible's check_type_int refuses it
        assertThat(run(new AptModule(), "name", "nginx", "cache_valid_time", "1.5").msg())
                .isEqualTo("argument 'cache_valid_time' is of type <class 'str'> and we were unable to convert to int:"
                        + " <class 'str'> cannot be converted to an int");
        assertThat(run(new AptModule(), "name", "nginx", "install_recommends", "maybe").msg())
                .isEqualTo(notABool("install_recommends", "maybe"));
        assertThat(run(new SystemdModule(), "name", "nginx", "enabled", "maybe").msg())
                .isEqualTo(notABool("enabled", "maybe"));
        // empty elements of the package list are left out, from a list as from text (a list's failed before)
        assertThat(new AptModule().spec().check(ModuleTestSupport.args("name", java.util.List.of("nginx", " ")))
                .strings("name")).containsExactly("nginx");
    }

    @Test
    void uriReadsStatusCodesHeadersAndBooleansAsAnsible() {
        // then: status_code is Ansible's list of int elements ("must be an integer or a list of integers" before)
        assertThat(run(new UriModule(), "url", "http://h/", "status_code", "200,ok").msg())
                .isEqualTo("Elements value for option 'status_code' is of type <class 'str'> and we were unable to"
                        + " convert to int: <class 'str'> cannot be converted to an int");
        assertThat(run(new UriModule(), "url", "http://h/", "headers", "Accept: text/plain").msg())
                .isEqualTo("argument 'headers' is of type <class 'str'> and we were unable to convert to dict:"
                        + " dictionary requested, could not parse JSON or key=value");
        assertThat(run(new UriModule(), "url", "http://h/", "return_content", "maybe").msg())
                .isEqualTo(notABool("return_content", "maybe"));
    }

    @Test
    void dockerModulesReadIntsAndBooleansAsAnsible() {
        // then: CommandSupport.integer read "90.5" as 90 and CommandSupport.bool said "must be a boolean"
        assertThat(run(new DockerComposeModule(), "project_src", "/srv/app", "wait_timeout", "90.5").msg())
                .isEqualTo("argument 'wait_timeout' is of type <class 'str'> and we were unable to convert to int:"
                        + " <class 'str'> cannot be converted to an int");
        assertThat(run(new DockerImageModule(), "name", "nginx", "force_source", "always").msg())
                .isEqualTo(notABool("force_source", "always"));
        assertThat(run(new DockerLoginModule(), "registry", "r.example.com", "reauthorize", "").msg())
                .isEqualTo(notABool("reauthorize", ""));
    }
}
