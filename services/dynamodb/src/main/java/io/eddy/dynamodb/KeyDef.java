package io.eddy.dynamodb;

/** A key attribute of a table or index: its name and scalar type ("S", "N" or "B"). */
public record KeyDef(String name, String type) {
}
