package io.recon.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals of the catalog API as {@code {"status", "error", "message", "field"}}. */
@RestControllerAdvice(basePackageClasses = CatalogErrors.class)
class CatalogErrors {

    @ExceptionHandler(CatalogRefusal.class)
    ResponseEntity<Map<String, Object>> refused(CatalogRefusal e) {
        return body(e.status(), e.getMessage(), e.field());
    }

    /** The parser's own message may quote the body, password included: it is not repeated. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(400, "The body is not a catalog entry as JSON (see GET of the same path for the shape), or a field holds a value of"
                + " the wrong kind (a kind is TABLE, TOPIC or HTTP; POSTGRESQL or MARIADB; numbers and booleans unquoted).", null);
    }

    private static ResponseEntity<Map<String, Object>> body(int status, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", HttpStatus.valueOf(status).getReasonPhrase());
        body.put("message", message);
        body.put("field", field);
        return ResponseEntity.status(status).body(body);
    }
}
