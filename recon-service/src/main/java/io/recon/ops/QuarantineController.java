package io.recon.ops;

import io.recon.session.QuarantinedRule;
import io.recon.session.RuleQuarantine;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Quarantined rules: {@code GET /api/rules/quarantine}, and lifting one (RELEASER). */
@RestController
@RequestMapping("/api/rules/quarantine")
class QuarantineController {

    private final RuleQuarantine quarantine;

    QuarantineController(RuleQuarantine quarantine) {
        this.quarantine = quarantine;
    }

    @GetMapping
    List<QuarantinedRule> list() {
        return quarantine.list();
    }

    /** Lets the rule run again in every session of the task group; a releaser decides (AccessRules), as for a release. */
    @PostMapping("/{task}/{rule}/unquarantine")
    ResponseEntity<Map<String, Object>> unquarantine(@PathVariable String task, @PathVariable String rule, Authentication user) {
        if (!quarantine.lift(task, rule, user.getName())) {
            return ResponseEntity.status(404).body(Map.of("error", "rule '" + rule + "' of task group '" + task
                    + "' is not quarantined; GET /api/rules/quarantine lists the quarantined rules"));
        }
        return ResponseEntity.ok(Map.of("task", task, "rule", rule, "quarantined", false, "liftedBy", user.getName()));
    }
}
