package io.recon.fact;

/**
 * How records of one declared type are identified: the fields that hold the correlation key, the
 * record's own id and its event time. Comes from a source binding.
 */
public record FactSpec(String type, String keyField, String idField, String eventTimeField) {

    public String idOrKey() {
        return idField == null || idField.isBlank() ? keyField : idField;
    }
}
