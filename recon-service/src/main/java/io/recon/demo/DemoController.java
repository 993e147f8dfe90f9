package io.recon.demo;

import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/demo/faults}: the ground truth to hold the mismatches against. */
@RestController
class DemoController {

    private final ObjectProvider<FaultLedger> ledger;

    DemoController(ObjectProvider<FaultLedger> ledger) {
        this.ledger = ledger;
    }

    record Page(List<FaultLedger.Fault> items, long total) {
    }

    @GetMapping("/api/demo/faults")
    Page faults(@RequestParam(required = false) String type,
                @RequestParam(defaultValue = "0") int page,
                @RequestParam(defaultValue = "500") int size) {
        FaultLedger faults = ledger.getIfAvailable();
        if (faults == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "the demo is not running (it runs on the embedded default only)");
        }
        String wanted = type == null ? null : type.toUpperCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(size, 5000));
        return new Page(faults.list(wanted, limit, Math.max(0, page) * limit), faults.count(wanted));
    }
}
