package io.eddy.sns;

/** One resource tag. */
public record Tag(String key, String value) {
}
