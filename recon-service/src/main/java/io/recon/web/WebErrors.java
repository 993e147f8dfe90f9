package io.recon.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals of the workbench API as {@code {"status", "error", "message"}}, the shape the workbench shows. */
@RestControllerAdvice(basePackageClasses = WebErrors.class)
class WebErrors {

    @ExceptionHandler(WebRefusal.class)
    ResponseEntity<Map<String, Object>> refused(WebRefusal e) {
        return body(e.status.value(), e.status.getReasonPhrase(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(400, "Bad Request", "The request body is not a draft as JSON {\"name\", \"task\", \"baseVersion\", \"files\": [{\"name\","
                + " \"content\"}]}: " + (e.getMostSpecificCause() == null ? e.getMessage() : e.getMostSpecificCause().getMessage()));
    }

    private static ResponseEntity<Map<String, Object>> body(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}
