package io.budgetctl.lifecycle.repo;

/**
 * Who runs budgetctl: an SSH key fingerprint ({@code SHA256:...}, as ssh-keygen -lf prints it) and/or a git identity
 * ({@code git config user.email}). At least one is set.
 */
public record OperatorIdentity(String sshFingerprint, String gitEmail) {
    public OperatorIdentity {
        if (sshFingerprint == null && gitEmail == null) {
            throw new IllegalArgumentException("an operator identity needs a fingerprint or a git email");
        }
    }

    public static OperatorIdentity ofFingerprint(String fingerprint) {
        return new OperatorIdentity(fingerprint, null);
    }

    public static OperatorIdentity ofGit(String email) {
        return new OperatorIdentity(null, email);
    }

    @Override
    public String toString() {
        return sshFingerprint != null && gitEmail != null ? gitEmail + " (" + sshFingerprint + ")"
                : sshFingerprint != null ? sshFingerprint : gitEmail;
    }
}
