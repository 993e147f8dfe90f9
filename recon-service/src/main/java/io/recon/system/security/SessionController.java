package io.recon.system.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The workbench's sign-in: {@code GET /api/session} says who is signed in (and hands out the CSRF
 * cookie), {@code POST} signs in with a session cookie, {@code DELETE} signs out. API clients use HTTP
 * Basic on every request instead and never get a session.
 */
@RestController
@RequestMapping("/api/session")
class SessionController {

    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=****]";
        }
    }

    record SignedIn(String user, List<String> roles, List<String> tasks) {
    }

    private final AuthenticationManager authentication;
    private final SecurityContextRepository contexts;
    private final CsrfTokenRepository csrfTokens;

    SessionController(AuthenticationManager authentication, SecurityContextRepository contexts, CsrfTokenRepository csrfTokens) {
        this.authentication = authentication;
        this.contexts = contexts;
        this.csrfTokens = csrfTokens;
    }

    @GetMapping
    ResponseEntity<Object> current(HttpServletRequest request, HttpServletResponse response) {
        CsrfToken token = csrfTokens.loadToken(request);
        csrfTokens.saveToken(token != null ? token : csrfTokens.generateToken(request), request, response);
        ReconUser user = ReconUser.of(SecurityContextHolder.getContext().getAuthentication());
        return user == null ? unauthorized(SecurityErrors.SIGN_IN_FIRST) : ResponseEntity.ok(signedIn(user));
    }

    @PostMapping
    ResponseEntity<Object> signIn(@RequestBody Credentials credentials, HttpServletRequest request, HttpServletResponse response) {
        Authentication signedIn;
        try {
            signedIn = authentication.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(
                    credentials.username() == null ? "" : credentials.username().strip(), credentials.password()));
        } catch (AuthenticationException e) {
            return unauthorized(SecurityErrors.WRONG_CREDENTIALS);
        }
        ReconUser user = ReconUser.of(signedIn);
        if (user == null) {
            return unauthorized(SecurityErrors.WRONG_CREDENTIALS);
        }
        if (request.getSession(false) != null) {
            request.changeSessionId(); // a session id known before sign-in (fixation) is worth nothing after it
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(signedIn);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        renewCsrfToken(request, response);
        return ResponseEntity.ok(signedIn(user));
    }

    @DeleteMapping
    ResponseEntity<Void> signOut(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        renewCsrfToken(request, response);
        return ResponseEntity.noContent().build();
    }

    /** A new token with every change of who is signed in, as Spring's own login does; the cookie carries it. */
    private void renewCsrfToken(HttpServletRequest request, HttpServletResponse response) {
        csrfTokens.saveToken(csrfTokens.generateToken(request), request, response);
    }

    private static SignedIn signedIn(ReconUser user) {
        return new SignedIn(user.getUsername(), user.roles(), user.tasks());
    }

    private static ResponseEntity<Object> unauthorized(String message) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ApiError.body(HttpStatus.UNAUTHORIZED, message));
    }
}
