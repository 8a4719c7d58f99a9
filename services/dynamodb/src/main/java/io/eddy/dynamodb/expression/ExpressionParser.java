package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.protocol.AwsException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for DynamoDB's expression grammar. Syntax errors are raised at once, in
 * AWS's "Syntax error; token: ..., near: ..." form; semantic errors (reserved words, undefined
 * placeholders, operand types, redundant parentheses) are raised only once the whole expression
 * parsed, the first one found winning, as syntax is checked before meaning.
 */
final class ExpressionParser {

    enum Kind { NAME, NAME_REF, VALUE_REF, NUMBER, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, EQ, NE, LT, LE, GT, GE, PLUS, MINUS, INVALID, EOF }

    record Token(Kind kind, String text, int start, int end) {
    }

    /** The condition functions; size is an operand, the rest are conditions. */
    private static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size");
    private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    private static final Set<String> TYPE_NAMES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");
    /** Words the grammar reserves for operators, so they can never start an operand. */
    private static final Set<String> OPERATOR_KEYWORDS = Set.of("AND", "OR", "BETWEEN", "IN");
    private static final int MAX_IN_OPERANDS = 100;
    private static final int MAX_EXPRESSION_BYTES = 4096;
    private static final int MAX_OPERATORS = 300;

    private final String source;
    private final String parameterName;
    private final ExpressionContext context;
    private final List<Token> tokens;
    private int position;
    private AwsException pending;
    private boolean checkRedundantParentheses = true;
    private int operators;

    ExpressionParser(String source, String parameterName, ExpressionContext context) {
        this.source = source;
        this.parameterName = parameterName;
        this.context = context;
        if (source.isBlank()) throw error("The expression can not be empty;");
        checkSize();
        this.tokens = tokenize(source);
    }

    /** AWS checks the size before parsing, and reports it only for conditions, not for updates and projections. */
    private void checkSize() {
        int size = source.getBytes(StandardCharsets.UTF_8).length;
        if (size <= MAX_EXPRESSION_BYTES) return;
        boolean reportsSize = !parameterName.equals("UpdateExpression") && !parameterName.equals("ProjectionExpression");
        throw error("Expression size has exceeded the maximum allowed size;" + (reportsSize ? " expression size: " + size : ""));
    }

    /** Operators and functions both count; AWS names the count at which it gave up, so it always says 301. */
    private void countOperator() {
        if (++operators == MAX_OPERATORS + 1) {
            semantic("The expression contains too many operators; operator count: " + operators);
        }
    }

    // ---- entry points

    Condition parseCondition() {
        Condition condition = parseOr().condition();
        finish();
        return condition;
    }

    /** A condition as KeyConditionExpression accepts it: nested parentheses are not redundant there. */
    Condition parseKeyCondition() {
        checkRedundantParentheses = false;
        return parseCondition();
    }

    List<DocumentPath> parseProjection() {
        List<DocumentPath> paths = new ArrayList<>();
        do {
            paths.add(parsePath());
        } while (accept(Kind.COMMA));
        finish();
        return paths;
    }

    List<Update.Action> parseUpdate() {
        List<Update.Action> actions = new ArrayList<>();
        Set<String> clauses = new LinkedHashSet<>();
        do {
            Token keyword = next();
            String clause = keyword.kind() == Kind.NAME ? keyword.text().toUpperCase(Locale.ROOT) : "";
            if (!Set.of("SET", "REMOVE", "ADD", "DELETE").contains(clause)) throw syntaxError(keyword);
            if (!clauses.add(clause)) {
                semantic("The \"" + clause + "\" section can only be used once in an update expression;");
            }
            do {
                actions.add(parseUpdateAction(clause));
            } while (accept(Kind.COMMA));
        } while (peek().kind() != Kind.EOF);
        finish();
        return actions;
    }

    // ---- conditions

    /** A parsed condition and whether it was exactly one parenthesised group. */
    private record Node(Condition condition, boolean parenthesised) {
    }

    private Node parseOr() {
        Node left = parseAnd();
        while (acceptKeyword("OR")) {
            countOperator();
            left = new Node(new Condition.Or(left.condition(), parseAnd().condition()), false);
        }
        return left;
    }

    private Node parseAnd() {
        Node left = parseNot();
        while (acceptKeyword("AND")) {
            countOperator();
            left = new Node(new Condition.And(left.condition(), parseNot().condition()), false);
        }
        return left;
    }

    private Node parseNot() {
        if (acceptKeyword("NOT")) {
            countOperator();
            return new Node(new Condition.Not(parseNot().condition()), false);
        }
        if (accept(Kind.LPAREN)) {
            Node inner = parseOr();
            expect(Kind.RPAREN);
            if (inner.parenthesised() && checkRedundantParentheses) semantic("The expression has redundant parentheses;");
            return new Node(inner.condition(), true);
        }
        return new Node(parsePredicate(), false);
    }

    private Condition parsePredicate() {
        Token start = peek();
        Object first = parseConditionOperandOrFunction();
        Operand left;
        if (first instanceof Condition condition) {
            if (!startsComparison(peek())) return condition;
            semantic("The function is not allowed to be used this way in an expression; function: " + start.text());
            left = new Operand.PathOperand(DocumentPath.of(start.text()));
        } else {
            left = (Operand) first;
        }
        Token operator = peek();
        Condition.Comparator comparator = switch (operator.kind()) {
            case EQ -> Condition.Comparator.EQ;
            case NE -> Condition.Comparator.NE;
            case LT -> Condition.Comparator.LT;
            case LE -> Condition.Comparator.LE;
            case GT -> Condition.Comparator.GT;
            case GE -> Condition.Comparator.GE;
            default -> null;
        };
        if (comparator != null) {
            next();
            countOperator();
            Operand right = parseConditionOperand();
            requireDistinct(comparator.symbol(), left, right);
            return new Condition.Comparison(comparator, left, right);
        }
        if (acceptKeyword("BETWEEN")) {
            countOperator();
            Operand lower = parseConditionOperand();
            expectKeyword("AND");
            Operand upper = parseConditionOperand();
            requireDistinct("BETWEEN", left, lower, upper);
            checkBetweenBounds(lower, upper);
            return new Condition.Between(left, lower, upper);
        }
        if (acceptKeyword("IN")) {
            countOperator();
            expect(Kind.LPAREN);
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(parseConditionOperand());
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN);
            if (candidates.size() > MAX_IN_OPERANDS) {
                semantic("The IN operator is provided with too many operands; number of operands: " + candidates.size());
            }
            requireDistinct("IN", left, candidates.toArray(Operand[]::new));
            return new Condition.In(left, candidates);
        }
        if (left instanceof Operand.Size) {
            semantic("The function is not allowed to be used this way in an expression; function: size");
            return new Condition.AttributeExists(DocumentPath.of("size"));
        }
        throw syntaxError(operator);
    }

    /** An operand, or a whole condition when it is a condition function such as attribute_exists(a). */
    private Object parseConditionOperandOrFunction() {
        if (peek().kind() == Kind.NAME && peek(1).kind() == Kind.LPAREN) return parseConditionFunction();
        return parseSimpleOperand();
    }

    private Operand parseConditionOperand() {
        Token start = peek();
        Object operand = parseConditionOperandOrFunction();
        if (operand instanceof Operand o) return o;
        semantic("The function is not allowed to be used this way in an expression; function: " + start.text());
        return new Operand.PathOperand(DocumentPath.of(start.text()));
    }

    private Operand parseSimpleOperand() {
        Token token = peek();
        if (token.kind() == Kind.NAME && OPERATOR_KEYWORDS.contains(token.text().toUpperCase(Locale.ROOT))) {
            throw syntaxError(token);
        }
        if (token.kind() == Kind.VALUE_REF) {
            next();
            return new Operand.ValueOperand(token.text(), value(token));
        }
        if (token.kind() == Kind.NAME || token.kind() == Kind.NAME_REF) return new Operand.PathOperand(parsePath());
        throw syntaxError(token);
    }

    private Object parseConditionFunction() {
        Token name = next();
        countOperator();
        List<Operand> args = parseArguments(this::parseConditionOperand);
        String function = name.text();
        if (!CONDITION_FUNCTIONS.contains(function)) {
            semantic(UPDATE_FUNCTIONS.contains(function)
                    ? "The function is not allowed to be used this way in an expression; function: " + function
                    : "Invalid function name; function: " + function);
            return startsComparison(peek()) ? new Operand.PathOperand(DocumentPath.of(function)) : placeholderCondition();
        }
        switch (function) {
            case "attribute_exists", "attribute_not_exists" -> {
                if (!arity(function, args, 1)) return placeholderCondition();
                if (!(args.getFirst() instanceof Operand.PathOperand path)) {
                    semantic("Operator or function requires a document path; operator or function: " + function);
                    return placeholderCondition();
                }
                return function.equals("attribute_exists")
                        ? new Condition.AttributeExists(path.path()) : new Condition.AttributeNotExists(path.path());
            }
            case "attribute_type" -> {
                if (!arity(function, args, 2)) return placeholderCondition();
                if (!(args.getFirst() instanceof Operand.PathOperand)) {
                    semantic("Operator or function requires a document path; operator or function: " + function);
                }
                if (args.get(1) instanceof Operand.ValueOperand type && type.value() != null) {
                    if (!(type.value() instanceof AttributeValue.S s)) {
                        semantic(incorrectOperandType(function, type.value()));
                    } else if (!TYPE_NAMES.contains(s.value())) {
                        semantic("Invalid attribute type name found; type: " + s.value()
                                + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
                    }
                }
                return new Condition.AttributeType(args.get(0), args.get(1));
            }
            case "begins_with" -> {
                if (!arity(function, args, 2)) return placeholderCondition();
                for (Operand arg : args) {
                    if (arg instanceof Operand.ValueOperand v && v.value() != null
                            && !(v.value() instanceof AttributeValue.S || v.value() instanceof AttributeValue.B)) {
                        semantic(incorrectOperandType(function, v.value()));
                    }
                }
                requireDistinct(function, args.get(0), args.get(1));
                return new Condition.BeginsWith(args.get(0), args.get(1));
            }
            case "contains" -> {
                if (!arity(function, args, 2)) return placeholderCondition();
                requireDistinct(function, args.get(0), args.get(1));
                return new Condition.Contains(args.get(0), args.get(1));
            }
            default -> {
                if (!arity(function, args, 1)) return new Operand.Size(args.getFirst());
                if (args.getFirst() instanceof Operand.ValueOperand v && v.value() != null && Values.size(v.value()) == null) {
                    semantic(incorrectOperandType(function, v.value()));
                }
                return new Operand.Size(args.getFirst());
            }
        }
    }

    private static boolean startsComparison(Token token) {
        return switch (token.kind()) {
            case EQ, NE, LT, LE, GT, GE -> true;
            case NAME -> token.text().equalsIgnoreCase("BETWEEN") || token.text().equalsIgnoreCase("IN");
            default -> false;
        };
    }

    private static Condition placeholderCondition() {
        return new Condition.AttributeExists(DocumentPath.of("placeholder"));
    }

    private boolean arity(String function, List<Operand> args, int expected) {
        if (args.size() == expected) return true;
        semantic("Incorrect number of operands for operator or function; operator or function: " + function
                + ", number of operands: " + args.size());
        return false;
    }

    private List<Operand> parseArguments(java.util.function.Supplier<Operand> argument) {
        expect(Kind.LPAREN);
        List<Operand> args = new ArrayList<>();
        do {
            args.add(argument.get());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN);
        return args;
    }

    private void requireDistinct(String operator, Operand first, Operand... others) {
        if (!(first instanceof Operand.PathOperand path)) return;
        for (Operand other : others) {
            if (other instanceof Operand.PathOperand otherPath && otherPath.path().equals(path.path())) {
                semantic("The first operand must be distinct from the remaining operands for this operator or function; "
                        + "operator: " + operator + ", first operand: " + path.path());
                return;
            }
        }
    }

    private void checkBetweenBounds(Operand lower, Operand upper) {
        if (!(lower instanceof Operand.ValueOperand lo) || !(upper instanceof Operand.ValueOperand hi)
                || lo.value() == null || hi.value() == null) {
            return;
        }
        String bounds = "lower bound operand: AttributeValue: " + Values.describe(lo.value())
                + ", upper bound operand: AttributeValue: " + Values.describe(hi.value());
        if (!lo.value().typeName().equals(hi.value().typeName())) {
            semantic("The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
            return;
        }
        Integer order = Values.compare(lo.value(), hi.value());
        if (order != null && order > 0) {
            semantic("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
        }
    }

    private static String incorrectOperandType(String function, AttributeValue value) {
        return "Incorrect operand type for operator or function; operator or function: " + function
                + ", operand type: " + value.typeName();
    }

    // ---- update expressions

    private Update.Action parseUpdateAction(String clause) {
        DocumentPath path = parsePath();
        switch (clause) {
            case "SET" -> {
                expect(Kind.EQ);
                return new Update.Set(path, parseSetValue());
            }
            case "REMOVE" -> {
                return new Update.Remove(path);
            }
            default -> {
                Token token = peek();
                if (token.kind() != Kind.VALUE_REF) throw syntaxError(token);
                next();
                AttributeValue value = value(token);
                boolean add = clause.equals("ADD");
                if (value != null) {
                    boolean allowed = value instanceof AttributeValue.SS || value instanceof AttributeValue.NS
                            || value instanceof AttributeValue.BS || (add && value instanceof AttributeValue.N);
                    if (!allowed) {
                        semantic("Incorrect operand type for operator or function; operator: " + clause + ", operand type: "
                                + Values.longTypeName(value) + ", typeSet: ALLOWED_FOR_" + clause + "_OPERAND");
                    }
                }
                return add ? new Update.Add(path, value) : new Update.Delete(path, value);
            }
        }
    }

    /** A parsed SET value and whether it was exactly one parenthesised group. */
    private record SetTerm(Operand operand, boolean parenthesised) {
    }

    private Operand parseSetValue() {
        return parseSetValueTerm().operand();
    }

    /**
     * AWS lets parentheses wrap a whole SET value, sum included, and any single operand, but not a sum
     * nested within a sum or a function argument.
     */
    private SetTerm parseSetValueTerm() {
        SetTerm left;
        if (accept(Kind.LPAREN)) {
            SetTerm inner = parseSetValueTerm();
            expect(Kind.RPAREN);
            if (inner.parenthesised()) semantic("The expression has redundant parentheses;");
            left = new SetTerm(inner.operand(), true);
        } else {
            left = new SetTerm(parseSetOperand(), false);
        }
        Token operator = peek();
        if (operator.kind() != Kind.PLUS && operator.kind() != Kind.MINUS) return left;
        if (left.operand() instanceof Operand.Arithmetic) throw syntaxError(operator);
        next();
        countOperator();
        Operand right = parseSetOperand();
        for (Operand operand : List.of(left.operand(), right)) {
            if (operand instanceof Operand.ValueOperand v && v.value() != null && !(v.value() instanceof AttributeValue.N)) {
                semantic(incorrectOperandType(operator.text(), v.value()));
            }
        }
        return new SetTerm(new Operand.Arithmetic(operator.kind() == Kind.PLUS, left.operand(), right), false);
    }

    private Operand parseSetOperand() {
        if (accept(Kind.LPAREN)) {
            boolean nested = peek().kind() == Kind.LPAREN;
            Operand inner = parseSetOperand();
            expect(Kind.RPAREN);
            if (nested) semantic("The expression has redundant parentheses;");
            return inner;
        }
        if (peek().kind() != Kind.NAME || peek(1).kind() != Kind.LPAREN) return parseSimpleOperand();
        Token name = next();
        countOperator();
        String function = name.text();
        List<Operand> args = parseArguments(this::parseSetOperand);
        if (!UPDATE_FUNCTIONS.contains(function)) {
            semantic(CONDITION_FUNCTIONS.contains(function)
                    ? "The function is not allowed in an update expression; function: " + function
                    : "Invalid function name; function: " + function);
            return args.getFirst();
        }
        if (!arity(function, args, 2)) return args.getFirst();
        if (function.equals("if_not_exists")) {
            if (!(args.getFirst() instanceof Operand.PathOperand path)) {
                semantic("Operator or function requires a document path; operator or function: " + function);
                return args.getFirst();
            }
            return new Operand.IfNotExists(path.path(), args.get(1));
        }
        for (Operand arg : args) {
            if (arg instanceof Operand.ValueOperand v && v.value() != null && !(v.value() instanceof AttributeValue.L)) {
                semantic(incorrectOperandType(function, v.value()));
            }
        }
        return new Operand.ListAppend(args.get(0), args.get(1));
    }

    // ---- paths and placeholders

    private DocumentPath parsePath() {
        List<DocumentPath.Element> elements = new ArrayList<>();
        elements.add(new DocumentPath.Name(attributeName(next())));
        while (true) {
            if (accept(Kind.DOT)) {
                elements.add(new DocumentPath.Name(attributeName(next())));
            } else if (accept(Kind.LBRACKET)) {
                Token index = next();
                if (index.kind() != Kind.NUMBER) throw syntaxError(index);
                int value;
                try {
                    value = Integer.parseInt(index.text());
                } catch (NumberFormatException e) {
                    throw error("List index is not within the allowable range; index: [" + index.text() + "]");
                }
                expect(Kind.RBRACKET);
                elements.add(new DocumentPath.Index(value));
            } else {
                return new DocumentPath(elements);
            }
        }
    }

    private String attributeName(Token token) {
        if (token.kind() == Kind.NAME) {
            if (ReservedWords.isReserved(token.text())) {
                semantic("Attribute name is a reserved keyword; reserved keyword: " + token.text());
            }
            return token.text();
        }
        if (token.kind() == Kind.NAME_REF) {
            String name = context.useName(token.text());
            if (name == null) {
                semantic("An expression attribute name used in the document path is not defined; attribute name: "
                        + token.text());
                return token.text();
            }
            return name;
        }
        throw syntaxError(token);
    }

    private AttributeValue value(Token token) {
        AttributeValue value = context.useValue(token.text());
        if (value == null) {
            semantic("An expression attribute value used in expression is not defined; attribute value: " + token.text());
        }
        return value;
    }

    // ---- token stream

    private Token peek() {
        return tokens.get(position);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(position + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token token = tokens.get(position);
        if (token.kind() != Kind.EOF) position++;
        return token;
    }

    private boolean accept(Kind kind) {
        if (peek().kind() != kind) return false;
        next();
        return true;
    }

    private boolean acceptKeyword(String keyword) {
        Token token = peek();
        if (token.kind() != Kind.NAME || !token.text().equalsIgnoreCase(keyword)) return false;
        next();
        return true;
    }

    private void expect(Kind kind) {
        Token token = peek();
        if (token.kind() != kind) throw syntaxError(token);
        next();
    }

    private void expectKeyword(String keyword) {
        if (!acceptKeyword(keyword)) throw syntaxError(peek());
    }

    private void finish() {
        if (peek().kind() != Kind.EOF) throw syntaxError(peek());
        if (pending != null) throw pending;
    }

    private void semantic(String detail) {
        if (pending == null) pending = error(detail);
    }

    private AwsException error(String detail) {
        return DynamoDbErrors.validation("Invalid " + parameterName + ": " + detail);
    }

    /** AWS quotes the offending token and the source from the token before it to the token after it. */
    private AwsException syntaxError(Token token) {
        int index = tokens.indexOf(token);
        int from = index > 0 ? tokens.get(index - 1).start() : token.start();
        int to = index + 1 < tokens.size() ? tokens.get(index + 1).end() : token.end();
        return error("Syntax error; token: \"" + token.text() + "\", near: \"" + source.substring(from, to) + "\"");
    }

    // ---- lexer

    private static List<Token> tokenize(String source) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = source.length();
        while (i < length) {
            char c = source.charAt(i);
            int start = i;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            Kind kind;
            if (isLetter(c) || c == '_') {
                while (i < length && isWordChar(source.charAt(i))) i++;
                kind = Kind.NAME;
            } else if (c >= '0' && c <= '9') {
                while (i < length && source.charAt(i) >= '0' && source.charAt(i) <= '9') i++;
                kind = Kind.NUMBER;
            } else if (c == '#' || c == ':') {
                i++;
                while (i < length && isWordChar(source.charAt(i))) i++;
                kind = i - start > 1 ? (c == '#' ? Kind.NAME_REF : Kind.VALUE_REF) : Kind.INVALID;
            } else {
                i++;
                kind = switch (c) {
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case '[' -> Kind.LBRACKET;
                    case ']' -> Kind.RBRACKET;
                    case ',' -> Kind.COMMA;
                    case '.' -> Kind.DOT;
                    case '+' -> Kind.PLUS;
                    case '-' -> Kind.MINUS;
                    case '=' -> Kind.EQ;
                    case '<' -> {
                        if (i < length && source.charAt(i) == '>') {
                            i++;
                            yield Kind.NE;
                        }
                        if (i < length && source.charAt(i) == '=') {
                            i++;
                            yield Kind.LE;
                        }
                        yield Kind.LT;
                    }
                    case '>' -> {
                        if (i < length && source.charAt(i) == '=') {
                            i++;
                            yield Kind.GE;
                        }
                        yield Kind.GT;
                    }
                    default -> {
                        if (Character.isHighSurrogate(c) && i < length) i++;
                        yield Kind.INVALID;
                    }
                };
            }
            tokens.add(new Token(kind, source.substring(start, i), start, i));
        }
        tokens.add(new Token(Kind.EOF, "<EOF>", length, length));
        return tokens;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }
}
