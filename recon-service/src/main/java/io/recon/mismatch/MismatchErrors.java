package io.recon.mismatch;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals from the mismatch API as {@code {"error": "..."}} with 400, 404 or 409, like the rest of the API. */
@RestControllerAdvice(basePackageClasses = MismatchErrors.class)
class MismatchErrors {

    @ExceptionHandler(CaseRefused.class)
    ResponseEntity<Map<String, String>> refused(CaseRefused e) {
        HttpStatus status = switch (e.kind) {
            case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
        return ResponseEntity.status(status).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "the request body is not the JSON object this action expects: "
                + (e.getMostSpecificCause() == null ? e.getMessage() : e.getMostSpecificCause().getMessage())));
    }
}
