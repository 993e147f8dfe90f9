package io.recon.action;

import java.security.Principal;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/mismatches/{id}/repair}: start the configured repair now (role HANDLER), e.g. again after REPAIR_FAILED. */
@RestController
class RepairController {

    private final RepairPlanner planner;
    private final TransactionTemplate tx;

    RepairController(RepairPlanner planner, TransactionTemplate tx) {
        this.planner = planner;
        this.tx = tx;
    }

    @PostMapping("/api/mismatches/{id:\\d+}/repair")
    ResponseEntity<?> now(@PathVariable long id, Principal user) {
        String refusal = tx.execute(s -> planner.planNow(id, user.getName()));
        if (refusal == null) {
            return ResponseEntity.accepted().body(Map.of("mismatchId", id, "status", "REPAIRING"));
        }
        return ResponseEntity.status(refusal.startsWith("no mismatch") ? 404 : 409).body(Map.of("error", refusal));
    }
}
