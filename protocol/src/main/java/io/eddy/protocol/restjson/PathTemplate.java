package io.eddy.protocol.restjson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A REST path template from a service model, e.g. {@code /2015-03-31/functions/{FunctionName}/invocations}.
 * A label matches one path segment; a greedy label ({@code {Key+}}) matches the rest of the path.
 */
public final class PathTemplate {

    private record Segment(String literal, String label, boolean greedy) {
    }

    private final String template;
    private final List<Segment> segments = new ArrayList<>();

    private PathTemplate(String template) {
        this.template = template;
        for (String part : split(template)) {
            if (part.startsWith("{") && part.endsWith("}")) {
                String label = part.substring(1, part.length() - 1);
                boolean greedy = label.endsWith("+");
                segments.add(new Segment(null, greedy ? label.substring(0, label.length() - 1) : label, greedy));
            } else {
                segments.add(new Segment(part, null, false));
            }
        }
    }

    public static PathTemplate of(String template) {
        return new PathTemplate(template);
    }

    /** The labels' values when {@code path} (already percent-decoded) fits the template, else null. */
    public Map<String, String> match(String path) {
        List<String> parts = split(path);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.greedy) {
                if (i >= parts.size()) return null;
                labels.put(segment.label, String.join("/", parts.subList(i, parts.size())));
                return labels;
            }
            if (i >= parts.size()) return null;
            String part = parts.get(i);
            if (segment.literal != null) {
                if (!segment.literal.equals(part)) return null;
            } else {
                if (part.isEmpty()) return null;
                labels.put(segment.label, part);
            }
        }
        return parts.size() == segments.size() ? labels : null;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        int start = path.startsWith("/") ? 1 : 0;
        if (start >= path.length()) return parts;
        int end = path.endsWith("/") && path.length() > 1 ? path.length() - 1 : path.length();
        for (String part : path.substring(start, end).split("/", -1)) parts.add(part);
        return parts;
    }

    @Override
    public String toString() {
        return template;
    }
}
