package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.DynamoDbErrors;

import java.util.List;

/** The rule that the paths of one projection or update may neither overlap nor conflict. */
final class PathRules {

    private PathRules() {
    }

    static void checkDisjoint(List<DocumentPath> paths, String parameterName) {
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                check(paths.get(i), paths.get(j), parameterName);
            }
        }
    }

    private static void check(DocumentPath one, DocumentPath two, String parameterName) {
        int common = Math.min(one.size(), two.size());
        for (int k = 0; k < common; k++) {
            DocumentPath.Element a = one.get(k);
            DocumentPath.Element b = two.get(k);
            if (a.equals(b)) continue;
            if (a.getClass() != b.getClass()) {
                throw DynamoDbErrors.validation("Invalid " + parameterName + ": Two document paths conflict with each other; "
                        + "must remove or rewrite one of these paths; path one: " + one + ", path two: " + two);
            }
            return;
        }
        throw DynamoDbErrors.validation("Invalid " + parameterName + ": Two document paths overlap with each other; "
                + "must remove or rewrite one of these paths; path one: " + one + ", path two: " + two);
    }
}
