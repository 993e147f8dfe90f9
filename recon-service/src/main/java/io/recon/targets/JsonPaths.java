package io.recon.targets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/** Where a value is in a JSON answer: {@code $.a.b[0]} (as in source bindings) or a JSON Pointer {@code /a/b/0}. */
public final class JsonPaths {

    private static final Pattern STEP = Pattern.compile("([^\\[\\]]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private JsonPaths() {
    }

    /** @throws IllegalArgumentException saying why the path is neither form */
    public static JsonPointer pointer(String path) {
        if (path.startsWith("/")) {
            return JsonPointer.compile(path);
        }
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("'" + path + "' is neither a JSON path ($.a.b[0]) nor a JSON Pointer (/a/b/0)");
        }
        StringBuilder pointer = new StringBuilder();
        for (String step : path.substring(1).split("\\.")) {
            if (step.isEmpty()) {
                continue;
            }
            Matcher m = STEP.matcher(step);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + path + "': step '" + step + "' is not a name followed by [index]es");
            }
            if (!m.group(1).isEmpty()) {
                pointer.append('/').append(m.group(1).replace("~", "~0").replace("/", "~1"));
            }
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                pointer.append('/').append(index.group(1));
            }
        }
        return JsonPointer.compile(pointer.toString());
    }

    /** The value at the path as a plain Java value (text, number, boolean; an object or array as its JSON), or null. */
    public static Object pick(JsonNode answer, String path) {
        JsonNode value = answer.at(pointer(path));
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        return value.isValueNode() ? value.asString() : value.toString();
    }
}
