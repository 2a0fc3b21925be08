package io.budgetctl.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclTest {
  private static final Path FILE = Path.of("acl");
  private static final Acl ACL = Acl.parse(FILE, List.of(
      "# account    repositories   actions",
      "ci           itbm/*         pull,push   # the CI pushes releases",
      "",
      "pull-acme    itbm/*         pull",
      "pull-acme    acme/**        pull",
      "admin        **             *"));

  @Test
  void ciMayPushAndPullProductRepositories() {
    // when
    var granted = ACL.granted("ci", Scope.parse("repository:itbm/backend:pull,push"));

    // then
    assertThat(granted).containsExactlyInAnyOrder("pull", "push");
  }

  @Test
  void aCustomerAskingForPushGetsPullOnly() {
    // when
    var granted = ACL.granted("pull-acme", Scope.parse("repository:itbm/backend:pull,push"));

    // then
    assertThat(granted).containsExactly("pull");
  }

  @Test
  void singleStarStaysInOneSegmentAndDoubleStarCrossesThem() {
    // when / then
    assertThat(ACL.granted("pull-acme", Scope.parse("repository:itbm/tools/backup:pull"))).isEmpty();
    assertThat(ACL.granted("ci", Scope.parse("repository:itbm:pull"))).isEmpty();
    assertThat(ACL.granted("pull-acme", Scope.parse("repository:acme/tools/backup:pull"))).containsExactly("pull");
  }

  @Test
  void unknownAccountsOtherRepositoriesAndOtherResourceTypesGetNothing() {
    // when / then
    assertThat(ACL.granted("pull-globex", Scope.parse("repository:itbm/backend:pull"))).isEmpty();
    assertThat(ACL.granted("pull-acme", Scope.parse("repository:globex/app:pull"))).isEmpty();
    assertThat(ACL.granted("ci", Scope.parse("registry:catalog:*"))).isEmpty();
  }

  @Test
  void starGrantsEveryRequestedActionButAStarRequestNeedsAStarRule() {
    // when / then
    assertThat(ACL.granted("admin", Scope.parse("repository:x/y:pull,push,delete")))
        .containsExactlyInAnyOrder("pull", "push", "delete");
    assertThat(ACL.granted("ci", Scope.parse("repository:itbm/backend:*"))).isEmpty();
    assertThat(ACL.granted("admin", Scope.parse("repository:itbm/backend:*"))).containsExactly("*");
  }

  @Test
  void anUnknownActionIsReportedWithFileLineAndColumn() {
    // when / then
    assertThatThrownBy(() -> Acl.parse(FILE, List.of("# x", "ci   itbm/*   pull,pul")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("acl:2:15: unknown action 'pul' (hint: one or more of pull, push, delete, * separated by ',')");
  }

  @Test
  void aLineWithoutThreeFieldsIsReported() {
    // when / then
    assertThatThrownBy(() -> Acl.parse(FILE, List.of("  ci itbm/*")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("acl:1:3: expected 3 fields (account, repository glob, actions), found 2");
  }

  @Test
  void scopesAreParsedWithClassesColonsAndSeveralPerParameter() {
    // when
    List<Scope> s = Scope.parseAll(List.of("repository(plugin):itbm/x:pull repository:localhost:5000/a:push,pull",
        "repository:itbm/y:"));

    // then
    assertThat(s).extracting(Scope::type).containsExactly("repository", "repository", "repository");
    assertThat(s).extracting(Scope::name).containsExactly("itbm/x", "localhost:5000/a", "itbm/y");
    assertThat(s.get(1).actions()).containsExactlyInAnyOrder("pull", "push");
    assertThat(s.get(2).actions()).isEmpty();
    assertThatThrownBy(() -> Scope.parse("repository-only")).hasMessageContaining("is not type:name:actions");
  }
}
