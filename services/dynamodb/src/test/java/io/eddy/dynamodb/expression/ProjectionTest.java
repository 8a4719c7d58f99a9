package io.eddy.dynamodb.expression;

import org.junit.jupiter.api.Test;

import static io.eddy.dynamodb.expression.Items.item;
import static io.eddy.dynamodb.expression.Items.json;
import static io.eddy.dynamodb.expression.Items.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectionTest {

    private static final String ITEM = "{'pk':{'S':'p'},'a':{'M':{'b':{'S':'bb'},'c':{'N':'1'}}},"
            + "'l':{'L':[{'S':'l0'},{'M':{'x':{'S':'x1'},'y':{'S':'y1'}}},{'S':'l2'}]},'extra':{'S':'o'}}";

    private static String project(String expression) {
        return json(ExpressionContext.empty().parseProjection(expression).apply(item(ITEM)));
    }

    @Test
    void topLevelAttributes() {
        assertThat(project("pk, extra, nothing")).isEqualTo("{'pk':{'S':'p'},'extra':{'S':'o'}}");
    }

    @Test
    void nestedPathsKeepTheirStructure() {
        assertThat(project("a.b")).isEqualTo("{'a':{'M':{'b':{'S':'bb'}}}}");
        assertThat(project("a.b, a.c")).isEqualTo("{'a':{'M':{'b':{'S':'bb'},'c':{'N':'1'}}}}");
        assertThat(project("l[1].y")).isEqualTo("{'l':{'L':[{'M':{'y':{'S':'y1'}}}]}}");
        assertThat(project("a.nothing, l[7]")).isEqualTo("{}");
    }

    @Test
    void listIndexesAreCompactedInIndexOrder() {
        assertThat(project("l[2], l[0]")).isEqualTo("{'l':{'L':[{'S':'l0'},{'S':'l2'}]}}");
    }

    @Test
    void placeholders() {
        ExpressionContext context = new ExpressionContext(names("#a", "a", "#s", "status"), null);
        assertThat(json(context.parseProjection("#a.b, #s").apply(item(ITEM)))).isEqualTo("{'a':{'M':{'b':{'S':'bb'}}}}");
        context.checkAllUsed();
    }

    @Test
    void overlapsAndConflictsAreRejected() {
        assertThatThrownBy(() -> project("a, a.b")).hasMessage("Invalid ProjectionExpression: Two document paths overlap "
                + "with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
        assertThatThrownBy(() -> project("pk, pk")).hasMessageContaining("overlap");
        assertThatThrownBy(() -> project("l[0], l.x")).hasMessage("Invalid ProjectionExpression: Two document paths "
                + "conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, x]");
    }

    @Test
    void syntaxAndNameErrors() {
        assertThatThrownBy(() -> project("pk, status"))
                .hasMessage("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertThatThrownBy(() -> project("l[a]"))
                .hasMessage("Invalid ProjectionExpression: Syntax error; token: \"a\", near: \"[a]\"");
        assertThatThrownBy(() -> project("pk,"))
                .hasMessage("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
        assertThatThrownBy(() -> project("#undef")).hasMessage("Invalid ProjectionExpression: An expression attribute "
                + "name used in the document path is not defined; attribute name: #undef");
        assertThatThrownBy(() -> project("")).hasMessage("Invalid ProjectionExpression: The expression can not be empty;");
    }
}
