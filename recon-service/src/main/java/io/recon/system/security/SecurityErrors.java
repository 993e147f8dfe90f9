package io.recon.system.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/** 401 and 403 as sentences that say who you are and what the request needs. */
final class SecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String SIGN_IN_FIRST = "Sign in first.";
    static final String WRONG_CREDENTIALS = "Wrong user name or password.";

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        // A browser that sees a Basic challenge prompts, caches the credentials and sends them on every later
        // request, cross-site ones too; as Basic requests skip the CSRF check, only non-browser clients are challenged.
        if (request.getHeader("Sec-Fetch-Mode") == null && request.getHeader("X-Requested-With") == null) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"Recon\"");
        }
        ApiError.write(response, HttpStatus.UNAUTHORIZED, e instanceof BadCredentialsException ? WRONG_CREDENTIALS : SIGN_IN_FIRST);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        if (e instanceof CsrfException) {
            ApiError.write(response, HttpStatus.FORBIDDEN, "This request needs the header X-XSRF-TOKEN with the value of the XSRF-TOKEN cookie "
                    + "(GET /api/session sets the cookie); API clients send HTTP Basic credentials instead.");
            return;
        }
        ApiError.write(response, HttpStatus.FORBIDDEN, youAre(SecurityContextHolder.getContext().getAuthentication())
                + "; this needs " + AccessRules.ruleFor(request).needs() + ".");
    }

    /** "You are signed in as viewer (VIEWER)". */
    static String youAre(Authentication authentication) {
        if (authentication == null) {
            return "You are not signed in";
        }
        List<String> roles = ReconUser.roles(authentication.getAuthorities());
        return "You are signed in as " + authentication.getName() + " (" + (roles.isEmpty() ? "no role" : String.join(", ", roles)) + ")";
    }
}
