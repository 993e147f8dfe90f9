package io.recon.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.expression.MapAccessor;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

/**
 * A binding's renames, JSON paths, derived fields and filter, applied to a record's values before they are mapped
 * onto the fact type. Expressions are SpEL over the record's values by name ({@code amountCents / 100},
 * {@code status == 'PAID'}), evaluated read-only: no types, no method calls on classes, no assignment.
 */
final class BindingShape {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final EvaluationContext CONTEXT = SimpleEvaluationContext.forPropertyAccessors(new MapAccessor()).build();

    private final Map<String, String> fields;
    private final Map<String, Expression> derived = new LinkedHashMap<>();
    private final Expression filter;
    private final String filterText;

    BindingShape(SourceBinding binding) {
        this.fields = binding.fields();
        binding.derived().forEach((field, text) -> derived.put(field, parse(text, "derived." + field)));
        this.filterText = binding.filter();
        this.filter = binding.filter() == null ? null : parse(binding.filter(), "filter");
    }

    /** Parses an expression or says what is wrong with it. */
    static Expression parse(String text, String where) {
        try {
            return PARSER.parseExpression(text);
        } catch (ExpressionException e) {
            throw new IllegalArgumentException(where + " '" + text + "' is not an expression Recon can read: " + e.getMessage()
                    + "; write it over the record's values by name, e.g. amountCents / 100 or status == 'PAID'");
        }
    }

    /** The values with renamed and derived fields added (they win over a value of the same name), or null to drop the record. */
    Map<String, Object> apply(Map<String, ?> values, boolean filtering) {
        Map<String, Object> shaped = new LinkedHashMap<>(values);
        fields.forEach((field, from) -> {
            Object value = from.startsWith("$") ? path(values, from) : values.get(from);
            shaped.remove(field);
            shaped.put(field, value);
        });
        derived.forEach((field, expression) -> {
            Object value;
            try {
                value = expression.getValue(CONTEXT, shaped);
            } catch (ExpressionException e) {
                throw new IllegalArgumentException("derived field " + field + " cannot be computed from this record: " + e.getMessage());
            }
            shaped.remove(field);
            shaped.put(field, value);
        });
        if (filter != null && filtering) { // a delete is never filtered: retracting a fact never taken does nothing
            Object keep;
            try {
                keep = filter.getValue(CONTEXT, shaped);
            } catch (ExpressionException e) {
                throw new IllegalArgumentException("the filter '" + filterText + "' cannot be evaluated on this record: " + e.getMessage());
            }
            if (!Boolean.TRUE.equals(keep)) {
                return null;
            }
        }
        return shaped;
    }

    /** {@code $.payload.amount} or {@code $.items[0].sku}: the value there, or null. */
    static Object path(Map<String, ?> values, String path) {
        Object at = values;
        for (String step : path.substring(1).split("\\.")) {
            if (step.isEmpty()) {
                continue;
            }
            String name = step;
            Integer index = null;
            int bracket = step.indexOf('[');
            if (bracket >= 0 && step.endsWith("]")) {
                name = step.substring(0, bracket);
                index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
            }
            if (!name.isEmpty()) {
                at = at instanceof Map<?, ?> map ? map.get(name) : null;
            }
            if (index != null) {
                at = at instanceof List<?> list && index < list.size() ? list.get(index) : null;
            }
            if (at == null) {
                return null;
            }
        }
        return at;
    }
}
