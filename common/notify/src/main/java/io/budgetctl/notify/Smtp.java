package io.budgetctl.notify;

/**
 * Where and as whom mail is sent: STARTTLS is required when {@code startTls} is set (a server that does not offer it
 * is refused, nothing goes out in clear), AUTH is used when {@code user} is set. Each caller checks the settings
 * against its own options and hints; {@link #toString()} never shows the password.
 */
public record Smtp(String host, int port, String user, String password, boolean startTls, String from) {
    @Override
    public String toString() {
        return "Smtp[" + host + ":" + port + ", user " + user + ", password ****, starttls " + startTls + "]";
    }
}
