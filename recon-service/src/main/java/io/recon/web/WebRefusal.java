package io.recon.web;

import org.springframework.http.HttpStatus;

/** A request of the workbench API that cannot be served, with the sentence the user reads. */
final class WebRefusal extends RuntimeException {

    final HttpStatus status;

    WebRefusal(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }
}
