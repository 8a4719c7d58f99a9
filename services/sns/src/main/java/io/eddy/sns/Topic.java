package io.eddy.sns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic as stored: where it lives, whether it is FIFO, the attributes callers set (stored as
 * the strings they were set to) and its tags in the order they were added.
 */
public record Topic(String account, String region, String name, boolean fifo, Map<String, String> attributes,
                    List<Tag> tags) {

    public Topic {
        attributes = new LinkedHashMap<>(attributes);
        tags = List.copyOf(tags);
    }

    public String arn() {
        return "arn:aws:sns:" + region + ":" + account + ":" + name;
    }

    public String attribute(String name) {
        return attributes.get(name);
    }

    public boolean contentBasedDeduplication() {
        return "true".equalsIgnoreCase(attributes.get(TopicAttributes.CONTENT_BASED_DEDUPLICATION));
    }

    /** {@code "1"} (SHA1withRSA, the default) or {@code "2"} (SHA256withRSA). */
    public String signatureVersion() {
        return attributes.getOrDefault(TopicAttributes.SIGNATURE_VERSION, "1");
    }

    public String displayName() {
        return attributes.getOrDefault(TopicAttributes.DISPLAY_NAME, "");
    }

    public Topic withAttributes(Map<String, String> changed) {
        Map<String, String> merged = new LinkedHashMap<>(attributes);
        changed.forEach((k, v) -> {
            if (v == null) merged.remove(k);
            else merged.put(k, v);
        });
        return new Topic(account, region, name, fifo, merged, tags);
    }

    public Topic withTags(List<Tag> newTags) {
        return new Topic(account, region, name, fifo, attributes, newTags);
    }
}
