package io.eddy.dynamodb.partiql;

import java.util.List;

/** A parsed PartiQL statement, with the number of {@code ?} parameters it uses. */
public sealed interface Statement {

    int parameterCount();

    /** {@code SELECT * | path, ... FROM table[.index] [WHERE ...] [ORDER BY path [ASC|DESC]]}. */
    record Select(List<Expr.Path> projection, String table, String index, Expr where, Expr.Path orderBy,
                  boolean descending, int parameterCount) implements Statement {
    }

    /** {@code INSERT INTO table VALUE {...}}. */
    record Insert(String table, Expr value, int parameterCount) implements Statement {
    }

    /** One {@code SET path = value}. */
    record Assignment(Expr.Path path, Expr value) {
    }

    /** {@code UPDATE table SET ... REMOVE ... WHERE ... [RETURNING ...]}. */
    record Update(String table, List<Assignment> sets, List<Expr.Path> removes, Expr where, String returning,
                  int parameterCount) implements Statement {
    }

    /** {@code DELETE FROM table WHERE ... [RETURNING ALL OLD *]}. */
    record Delete(String table, Expr where, String returning, int parameterCount) implements Statement {
    }

    /** {@code EXISTS(SELECT * FROM table WHERE ...)}: a condition check inside a transaction. */
    record Exists(Select select, int parameterCount) implements Statement {
    }
}
