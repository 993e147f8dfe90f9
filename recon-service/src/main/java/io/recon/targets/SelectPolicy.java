package io.recon.targets;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * What analyst-written SQL that reads another system may be, decided on its parse tree before it runs: one SELECT
 * (WITH allowed, no SELECT INTO, no locking clause) that reads only the tables its {@link Tables} rule allows (and
 * its own WITH names), calls only the functions of a short list and casts only to plain types. Everything else is
 * refused with a sentence that says what and where. Offline SQL checks (over a run's staged tables) and lookups
 * (over a catalog database) both vet with it; both then run in a read-only transaction, a second fence.
 */
public final class SelectPolicy {

    /** A statement refused, with the sentence that says what is not allowed and where. */
    public static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    /** Which tables the statement may read; {@link #refusal} says why one may not be read, or null when it may. */
    public interface Tables {
        /**
         * @param schema the table's schema as written (unquoted), or null
         * @param name   the table's name (unquoted)
         */
        String refusal(String schema, String name, String written);

        /** Only these unqualified names (a run's staged tables). */
        public static Tables only(Set<String> names) {
            return (schema, name, written) -> schema != null && !schema.equals("pg_temp")
                    ? "reads " + written + "; it may read only the run's staged tables " + names + ", unqualified"
                    : names.contains(name) ? null
                    : "reads table " + written + ", which is not staged for this task; it may read " + names
                            + " (one per source, the source's name with - as _) and its own WITH names";
        }

        /** Any table of the database but its system catalogs (a lookup's own database, as a read-only user sees it). */
        public static Tables anyButSystem() {
            return (schema, name, written) -> schema != null && (schema.equals("pg_catalog") || schema.equals("information_schema"))
                    || schema == null && name.startsWith("pg_")
                    ? "reads " + written + ", a system catalog; it may read the database's own tables" : null;
        }
    }

    private final String subject;

    /** Plain value functions and aggregates: nothing here reads a file, the catalog, a setting or another database. */
    static final Set<String> FUNCTIONS = Set.of("coalesce", "nullif", "greatest", "least", "abs", "round", "trunc", "floor", "ceil",
            "ceiling", "sign", "mod", "lower", "upper", "trim", "ltrim", "rtrim", "btrim", "length", "substring", "substr", "replace",
            "concat", "concat_ws", "left", "right", "lpad", "rpad", "split_part", "position", "strpos", "date_trunc", "date_part",
            "to_timestamp", "to_char", "to_date", "to_number", "extract", "count", "sum", "min", "max", "avg", "string_agg", "array_agg",
            "bool_and", "bool_or", "every", "row_number", "rank", "dense_rank", "lag", "lead", "first_value", "last_value");

    /** Types a value may be cast to. */
    static final Set<String> CASTS = Set.of("text", "varchar", "character varying", "char", "character", "numeric", "decimal", "int",
            "integer", "int4", "bigint", "int8", "smallint", "int2", "float8", "float4", "double precision", "real", "boolean", "bool",
            "date", "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "interval");

    /** @param subject how a refusal names the statement: "The check", "The lookup's sql" */
    public SelectPolicy(String subject) {
        this.subject = subject;
    }

    /**
     * @param tables which tables it may read
     * @throws Refused saying what is not allowed and where
     */
    public void vet(String sql, Tables tables) {
        if (sql == null || sql.isBlank()) {
            throw refused(" is empty: give one SELECT");
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql);
        } catch (JSQLParserException e) {
            String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            throw refused(" is not SQL Recon can read: " + firstLine(cause));
        }
        if (statements.size() != 1) {
            throw refused(" holds " + statements.size() + " statements; it must be exactly one SELECT");
        }
        Statement statement = statements.get(0);
        if (!(statement instanceof Select select)) {
            throw refused(" is a " + kind(statement) + " statement; only a SELECT (WITH allowed) may run");
        }
        if (select instanceof PlainSelect plain && plain.getIntoTables() != null) {
            throw refused(" selects INTO " + plain.getIntoTables() + "; a check only reads");
        }
        if (select.getForMode() != null || (select instanceof PlainSelect p && p.getForMode() != null)) {
            throw refused(" locks rows (FOR " + select.getForMode() + "); a check only reads");
        }
        new Walker(tables).getTables(statement);
        callsByText(sql); // a second fence, by the text: a clause the tree walk might not reach is still read here
    }

    /** Words that a parenthesis may follow without being a function call. */
    private static final Set<String> KEYWORDS = Set.of("select", "from", "where", "and", "or", "not", "in", "exists", "any", "all",
            "some", "as", "on", "join", "using", "values", "over", "filter", "by", "lateral", "union", "intersect", "except", "when",
            "then", "else", "case", "is", "like", "ilike", "between", "having", "with", "row", "array", "cast", "interval", "distinct",
            "limit", "offset", "within", "recursive", "materialized", "rows", "range", "escape", "nulls", "asc", "desc", "end");

    private static final java.util.regex.Pattern CALL = java.util.regex.Pattern.compile("(\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    /**
     * Every word followed by an opening parenthesis, outside string literals and comments, must be an allowed
     * function, a cast's type (numeric(12, 2)) or a keyword.
     */
    public void callsByText(String sql) {
        StringBuilder code = new StringBuilder(sql.length());
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' && i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                    && (i == 1 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_')) {
                throw refused(" uses an escape string (E'…') at character " + i + "; write a plain '…' literal");
            }
            if (c == '"') {
                int end = sql.indexOf('"', i + 1);
                end = end < 0 ? sql.length() - 1 : end;
                code.append(sql, i, end + 1);
                i = end;
            } else if (c == '\'') {
                int end = i + 1;
                while (end < sql.length() && (sql.charAt(end) != '\'' || end + 1 < sql.length() && sql.charAt(end + 1) == '\'')) {
                    end += sql.charAt(end) == '\'' ? 2 : 1;
                }
                code.append(" '' ");
                i = end;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
                code.append('\n');
            } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 1;
                code.append(' ');
            } else if (c == '$') {
                throw refused(" uses $ (dollar quoting or a parameter) at character " + (i + 1) + "; a check needs neither");
            } else {
                code.append(c);
            }
        }
        java.util.regex.Matcher m = CALL.matcher(code);
        while (m.find()) {
            String word = m.group(1);
            String name = word.startsWith("\"") ? word.substring(1, word.length() - 1) : word.toLowerCase(Locale.ROOT);
            if (!FUNCTIONS.contains(name) && !KEYWORDS.contains(name) && !CASTS.contains(name)) {
                throw refused(" calls " + word + "(…); a check may call only " + new java.util.TreeSet<>(FUNCTIONS));
            }
        }
    }

    private static String kind(Statement statement) {
        String name = statement.getClass().getSimpleName();
        return name.toUpperCase(Locale.ROOT);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "it does not parse";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        // JSqlParser's message names the token and its line and column: that is the "where"
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** Visits every part of the statement (subqueries included) and refuses what is not allowed. */
    private final class Walker extends TablesNamesFinder<Void> {

        private final Tables tables;

        Walker(Tables tables) {
            this.tables = tables;
        }

        /** A qualified name is never a WITH name: it is judged here, where its schema is still known. */
        @Override
        public <S> Void visit(Table table, S context) {
            String name = unquoted(table.getName());
            String schema = table.getSchemaName() == null ? null : unquoted(table.getSchemaName());
            if (table.getDatabaseName() != null) {
                throw refused(" reads " + table.getFullyQualifiedName() + ", in another database; it may read only its own");
            }
            if (schema != null) {
                String refusal = tables.refusal(schema, name, table.getFullyQualifiedName());
                if (refusal != null) {
                    throw refused(" " + refusal);
                }
            }
            return super.visit(table, context);
        }

        @Override
        public <S> Void visit(Function function, S context) {
            allowed(function.getMultipartName() == null ? function.getName() : String.join(".", function.getMultipartName()),
                    function.toString());
            return super.visit(function, context);
        }

        @Override
        public <S> Void visit(AnalyticExpression analytic, S context) {
            allowed(analytic.getName(), analytic.toString());
            if (analytic.getPartitionExpressionList() != null) {
                analytic.getPartitionExpressionList().forEach(e -> e.accept(this, context));
            }
            orderBy(analytic.getOrderByElements(), context);
            if (analytic.getFilterExpression() != null) {
                analytic.getFilterExpression().accept(this, context);
            }
            return super.visit(analytic, context);
        }

        /** The finder does not walk ORDER BY, LIMIT and OFFSET: what they hold is checked here. */
        @Override
        public <S> Void visit(PlainSelect select, S context) {
            clauses(select, context);
            return super.visit(select, context);
        }

        @Override
        public <S> Void visit(net.sf.jsqlparser.statement.select.SetOperationList select, S context) {
            clauses(select, context);
            return super.visit(select, context);
        }

        private <S> void clauses(Select select, S context) {
            orderBy(select.getOrderByElements(), context);
            if (select.getLimit() != null) {
                if (select.getLimit().getRowCount() != null) {
                    select.getLimit().getRowCount().accept(this, context);
                }
                if (select.getLimit().getOffset() != null) {
                    select.getLimit().getOffset().accept(this, context);
                }
            }
            if (select.getOffset() != null && select.getOffset().getOffset() != null) {
                select.getOffset().getOffset().accept(this, context);
            }
        }

        private <S> void orderBy(java.util.List<net.sf.jsqlparser.statement.select.OrderByElement> elements, S context) {
            if (elements != null) {
                elements.forEach(o -> o.getExpression().accept(this, context));
            }
        }

        @Override
        public <S> Void visit(NextValExpression next, S context) {
            throw refused(" calls " + next + "; a check may not use sequences");
        }

        @Override
        public <S> Void visit(CastExpression cast, S context) {
            // numeric(12, 2) is numeric, varchar(20) varchar: the type's arguments are no risk
            String type = cast.getColDataType().getDataType().toLowerCase(Locale.ROOT).replaceAll("\\s*\\(.*$", "").trim();
            if (!CASTS.contains(type)) {
                throw refused(" casts to " + type + " in '" + cast + "'; a check may cast only to " + new java.util.TreeSet<>(CASTS));
            }
            return super.visit(cast, context);
        }

        private void allowed(String name, String where) {
            String plain = unquoted(name == null ? "" : name);
            if (!FUNCTIONS.contains(plain)) {
                throw refused(" calls " + name + " in '" + abbreviated(where) + "'; a check may call only "
                        + new java.util.TreeSet<>(FUNCTIONS));
            }
        }

        private static String abbreviated(String text) {
            return text.length() > 120 ? text.substring(0, 120) + "…" : text;
        }

        private static String unquoted(String name) {
            String n = name.strip();
            if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
                return n.substring(1, n.length() - 1);
            }
            return n.toLowerCase(Locale.ROOT);
        }

        /** The tables read, WITH names left out; each must be one the rule allows. */
        @Override
        public Set<String> getTables(Statement statement) {
            Set<String> read = super.getTables(statement);
            for (String t : read) {
                String name = unquoted(t.contains(".") ? t.substring(t.lastIndexOf('.') + 1) : t);
                String schema = t.contains(".") ? unquoted(t.substring(0, t.lastIndexOf('.'))) : null;
                String refusal = tables.refusal(schema, name, t);
                if (refusal != null) {
                    throw refused(" " + refusal);
                }
            }
            return read;
        }
    }

    private Refused refused(String what) {
        return new Refused(subject + what);
    }
}
