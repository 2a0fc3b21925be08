package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where {@code {% include %}}, {@code {% import %}}, {@code {% from ... import %}} and {@code {% extends %}} find their
 * files, as Ansible's template action sets Jinja2's search path: each directory of the render's search path (the
 * role's, the playbook's, the template's own), first its {@code templates/} then itself. A name is relative to those
 * directories whatever it starts with, and {@code ..} is refused, as Jinja2's FileSystemLoader does. Without a search
 * path (a template string, lookup('template')) the render's base directory is searched the same way.
 */
final class IncludeLocator implements ResourceLocator {
    private static final ThreadLocal<List<Path>> SEARCH = new ThreadLocal<>();

    /** Runs {@code render} with {@code dirs} as the search path of the templates it includes. */
    static <T> T with(List<Path> dirs, Supplier<T> render) {
        List<Path> before = SEARCH.get();
        SEARCH.set(List.copyOf(dirs));
        try {
            return render.get();
        } finally {
            SEARCH.set(before);
        }
    }

    @Override
    public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter) throws IOException {
        List<String> pieces = new ArrayList<>();
        for (String piece : fullName.split("/")) {
            if (piece.equals("..")) {
                throw new ResourceNotFoundException("template not found: " + fullName + " ('..' leaves the search path)");
            }
            if (!piece.isEmpty() && !piece.equals(".")) {
                pieces.add(piece);
            }
        }
        if (pieces.isEmpty()) {
            throw new ResourceNotFoundException("template not found: '" + fullName + "'");
        }
        String relative = String.join("/", pieces);
        List<Path> dirs = SEARCH.get();
        if (dirs == null || dirs.isEmpty()) {
            dirs = RenderState.depth() > 0 ? List.of(RenderState.current().baseDir()) : List.of();
        }
        List<Path> tried = new ArrayList<>();
        for (Path d : dirs) {
            for (Path candidate : List.of(d.resolve("templates").resolve(relative), d.resolve(relative))) {
                tried.add(candidate);
                if (Files.isRegularFile(candidate)) {
                    // as every template Jinja2 loads
                    return JinjavaTemplater.withoutTrailingNewline(Files.readString(candidate, encoding));
                }
            }
        }
        throw new ResourceNotFoundException("template not found: " + fullName + " (looked in " + tried + ")");
    }
}
