package io.recon.system.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than its endpoint family needs (413 with a sentence) before anything
 * reads it: rule files and kjars travel as base64 JSON and may be large; case actions and the sign-in are
 * small. A body without a length (chunked) is read up to the limit and refused past it. Events pushed to
 * {@code /api/events} are left to their endpoint, which keeps oversized ones as dead letters.
 */
final class BodySizeLimit extends OncePerRequestFilter {

    private final SecurityProperties.Limits limits;

    BodySizeLimit(SecurityProperties.Limits limits) {
        this.limits = limits;
    }

    long limitFor(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/events/")) {
            return -1;
        }
        if (path.equals("/api/runs/files")) {
            return limits.statements().toBytes();
        }
        if (path.startsWith("/api/rules/") || path.equals("/api/releases") || path.startsWith("/api/releases/")) {
            return limits.uploads().toBytes();
        }
        return limits.requests().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request);
        long declared = request.getContentLengthLong();
        if (limit < 0 || declared == 0 || "GET".equals(request.getMethod()) && declared < 0) {
            chain.doFilter(request, response);
            return;
        }
        if (declared > limit) {
            refuse(request, response, limit);
            return;
        }
        if (declared > 0) {
            chain.doFilter(request, response); // Tomcat delivers exactly the declared length
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            refuse(request, response, limit);
            return;
        }
        chain.doFilter(new Buffered(request, body), response);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        response.setHeader("Connection", "close"); // do not read the rest of an oversized body
        ApiError.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "The body of " + request.getMethod() + " " + request.getRequestURI()
                + " is larger than " + human(limit) + ", the most this endpoint takes; send less (fewer files or records per request).");
    }

    static String human(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    /** A chunked body read ahead to check its size, handed on as if unread. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("a checked body is read blocking");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
