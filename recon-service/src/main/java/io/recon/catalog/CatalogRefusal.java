package io.recon.catalog;

/** A catalog write refused, with the sentence that says what to fix and the JSON field it is about (or null). */
public class CatalogRefusal extends RuntimeException {

    private final int status;
    private final String field;

    public CatalogRefusal(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static CatalogRefusal invalid(String message, String field) {
        return new CatalogRefusal(400, message, field);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
