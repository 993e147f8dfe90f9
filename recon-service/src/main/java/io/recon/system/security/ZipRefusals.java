package io.recon.system.security;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** An upload that {@link ZipGuard} refused: 413, with the sentence saying which limit it broke. */
@RestControllerAdvice
class ZipRefusals {

    @ExceptionHandler(ZipGuard.Refused.class)
    ResponseEntity<Map<String, Object>> refused(ZipGuard.Refused e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(ApiError.body(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage()));
    }
}
