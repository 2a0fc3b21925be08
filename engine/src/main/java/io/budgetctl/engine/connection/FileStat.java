package io.budgetctl.engine.connection;

/**
 * Metadata of a remote path as {@code stat}/{@code sha1sum} report it. {@code type} is one of file, directory,
 * link, other. {@code mode} is the 4-digit octal permission string ("0644"). {@code sha1} is null for anything but
 * a regular file. {@code linkTarget} is null unless type is link.
 */
public record FileStat(String path, String type, String mode, String owner, String group, long size,
                       long mtimeEpochSeconds, String sha1, String linkTarget) {
    public boolean isFile() {
        return "file".equals(type);
    }

    public boolean isDirectory() {
        return "directory".equals(type);
    }

    public boolean isLink() {
        return "link".equals(type);
    }
}
