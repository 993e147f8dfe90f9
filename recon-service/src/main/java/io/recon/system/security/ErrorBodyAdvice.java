package io.recon.system.security;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import tools.jackson.databind.json.JsonMapper;

/**
 * Controllers refuse with {@code {"error": "<sentence>"}}; the workbench reads every error as
 * {@code {"status", "error", "message"}}. This adds {@code status} and {@code message} (the sentence) to
 * such a refusal and keeps the rest, so both readers work.
 */
@RestControllerAdvice
class ErrorBodyAdvice implements ResponseBodyAdvice<Object> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        if (!(body instanceof Map<?, ?> map) || map.containsKey("status") || !(map.get("error") instanceof String sentence)
                || !(response instanceof ServletServerHttpResponse servlet)) {
            return body;
        }
        HttpServletResponse raw = servlet.getServletResponse();
        if (raw.getStatus() < 400) {
            return body;
        }
        Map<Object, Object> shaped = new LinkedHashMap<>();
        shaped.put("status", raw.getStatus());
        shaped.putAll(map);
        shaped.put("message", sentence);
        return JSON.valueToTree(shaped); // a tree, so that the converter does not write it as the declared Map<String, String>
    }

}
