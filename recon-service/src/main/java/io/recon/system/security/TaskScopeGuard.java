package io.recon.system.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses, before any controller runs, what names a task outside the user's scope: a {@code task}
 * parameter, a mismatch by id ({@code /api/mismatches/{id}/...}) or by {@code mismatchId}. Lists without
 * a task are narrowed to the scope by their queries ({@link TaskScope}).
 */
final class TaskScopeGuard implements HandlerInterceptor {

    private static final Pattern MISMATCH_PATH = Pattern.compile("^/api/mismatches/(\\d{1,18})(/.*)?$");

    private final JdbcTemplate jdbc;

    TaskScopeGuard(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        TaskScope scope = TaskScope.current();
        if (scope.all()) {
            return true;
        }
        String task = request.getParameter("task");
        if (task != null && !scope.includes(task)) {
            ApiError.write(response, HttpStatus.FORBIDDEN, scope.refusal("this needs task " + task));
            return false;
        }
        Matcher path = MISMATCH_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        String mismatchId = path.matches() ? path.group(1) : request.getParameter("mismatchId");
        if (mismatchId != null && mismatchId.matches("\\d{1,18}")) {
            List<String> owner = jdbc.queryForList("select task from mismatch where id = ?", String.class, Long.parseLong(mismatchId));
            if (!owner.isEmpty() && !scope.includes(owner.get(0))) {
                ApiError.write(response, HttpStatus.FORBIDDEN, scope.refusal("mismatch " + mismatchId + " belongs to task " + owner.get(0) + ", which is not yours"));
                return false;
            }
        }
        return true;
    }
}
