package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    final DeploymentsRepository repo = DeploymentsRepository.open(ExampleRepositoryTest.EXAMPLE);
    final AccessPolicy policy = AccessPolicy.load(repo);
    final OperatorIdentity olga = OperatorIdentity.ofGit("Olga@itbm-vendor.example");
    final OperatorIdentity ivan = OperatorIdentity.ofFingerprint("SHA256:BSMUtcxhSU3cRUCxgYIQ0mt83xC059KOdyYRG6kFTVQ");
    final OperatorIdentity anna = OperatorIdentity.ofGit("anna@itbm-vendor.example");
    final OperatorIdentity ci = OperatorIdentity.ofFingerprint("SHA256:uDWubGDygXOhnqj9g2JzMTgDr8ugaB998WIYGHOzUu4");

    @Test
    void supportMayLookEverywhereButNotDeploy() {
        // given / when
        AccessDecision status = policy.decide(olga, "status", repo, "beta");
        AccessDecision deploy = policy.decide(olga, "deploy", repo, "epsilon");

        // then
        assertThat(status.allowed()).isTrue();
        assertThat(status.role()).isEqualTo("support");
        assertThat(status.operator()).isEqualTo("Olga Support");
        assertThat(deploy.allowed()).isFalse();
        assertThat(deploy.reason()).isEqualTo("Olga Support may not deploy epsilon (demo): support: does not allow deploy");
    }

    @Test
    void engineersDeployInDemoAndPilotOnly() {
        // given / when / then
        assertThat(policy.decide(ivan, "deploy", repo, "delta").allowed()).isTrue();
        AccessDecision prod = policy.decide(ivan, "rollback", repo, "acme");
        assertThat(prod.allowed()).isFalse();
        assertThat(prod.reason()).contains("engineer: not in environment production")
                .contains("support: does not allow rollback");
    }

    @Test
    void leadMayDoEverything() {
        // given / when / then
        assertThat(policy.decide(anna, "restore", repo, "beta").allowed()).isTrue();
        assertThat(policy.decide(anna, "secrets-edit", repo, "gamma").role()).isEqualTo("lead");
    }

    @Test
    void grantTagsNarrowARoleToSomeCustomers() {
        // given / when / then: CI is lead in production only for region eu ring 1 (acme, gamma), not beta
        assertThat(policy.decide(ci, "deploy", repo, "acme").allowed()).isTrue();
        AccessDecision beta = policy.decide(ci, "deploy", repo, "beta");
        assertThat(beta.allowed()).isFalse();
        assertThat(beta.reason()).contains("lead: customer's tags");
    }

    @Test
    void unknownOperatorsAreDeniedAndTheRecordSaysWho() {
        // given
        OperatorIdentity stranger = OperatorIdentity.ofGit("mallory@example.org");

        // when
        AccessDecision d = policy.decide(stranger, "status", repo, "acme");

        // then
        assertThat(d.allowed()).isFalse();
        assertThat(d.toMap()).containsEntry("decision", "deny").containsEntry("identity", "mallory@example.org")
                .containsEntry("client", "acme").containsEntry("environment", "production")
                .containsEntry("reason", "unknown operator mallory@example.org: not listed in access.yaml");
    }
}
