package io.budgetctl.engine.yaml;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a text file that must be UTF-8 (playbooks, roles, inventories, the deployments repository). Where the JDK
 * only says {@code Input length = 1}, this names the file, the line and column of the first bad byte, its byte
 * offset and value, so the file can be fixed (usually it was saved as Latin-1 or Windows-1252).
 */
public final class Utf8Text {
    private Utf8Text() {
    }

    /** The content of {@code file}, named {@code label} in errors. */
    public static String read(Path file, String label) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EngineException(SourceLocation.of(label), "file not found",
                    "check the path (relative paths are resolved from the current directory)");
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(label), "cannot read file: " + e.getMessage(),
                    "check that the file exists and is readable", e);
        }
        return decode(bytes, label);
    }

    /** {@code bytes} as UTF-8 text; a {@code file:line:column} error at the first byte that is not UTF-8. */
    public static String decode(byte[] bytes, String label) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            throw badByte(bytes, in.position(), label);
        }
        r = dec.flush(out);
        if (r.isError()) {
            throw badByte(bytes, in.position(), label);
        }
        out.flip();
        return out.toString();
    }

    private static EngineException badByte(byte[] bytes, int offset, String label) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        // the column counts characters: the line's bytes before the bad one are valid UTF-8
        String before = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
        int column = before.codePointCount(0, before.length()) + 1;
        return new EngineException(new SourceLocation(label, line, column), String.format(
                "not valid UTF-8: byte 0x%02X at byte offset %d", bytes[offset] & 0xff, offset),
                "save the file as UTF-8 (it was probably written as Latin-1 or Windows-1252), e.g. iconv -f"
                        + " WINDOWS-1252 -t UTF-8");
    }
}
