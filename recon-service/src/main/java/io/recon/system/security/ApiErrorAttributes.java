package io.recon.system.security;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors that no controller answered (an unknown path, a ResponseStatusException, a crash) in the API's
 * shape {@code {"status","error","message"}}. A server error never shows its exception's message: it may
 * carry a connection string or a password; the log has the details.
 */
@Component
class ApiErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> standard = super.getErrorAttributes(request, options.including(ErrorAttributeOptions.Include.MESSAGE));
        Object code = standard.get("status");
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null ? HttpStatus.resolve(c) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object message = standard.get("message");
        String path = String.valueOf(request.getAttribute("jakarta.servlet.error.request_uri", RequestAttributes.SCOPE_REQUEST));
        String sentence;
        Throwable error = getError(request);
        if (status == HttpStatus.NOT_FOUND && (error instanceof NoResourceFoundException || error instanceof NoHandlerFoundException)) {
            message = null; // "No static resource api/x": the path is unknown, say so in the API's words
        }
        if (status.is5xxServerError()) {
            sentence = "Recon failed to answer " + path + " (" + status.value() + "); the service log says why. Try again, or tell the operators.";
        } else if (message instanceof String text && !text.isBlank() && !text.equals("No message available")) {
            sentence = text.endsWith(".") ? text : text + ".";
        } else if (status == HttpStatus.NOT_FOUND) {
            sentence = "There is nothing at " + path + "; the README lists the API.";
        } else {
            sentence = "The request to " + path + " was refused: " + status.getReasonPhrase() + ".";
        }
        return ApiError.body(status, sentence);
    }
}
