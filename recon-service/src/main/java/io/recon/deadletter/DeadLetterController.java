package io.recon.deadletter;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    record Page(List<DeadLetters.DeadLetter> items, long total) {
    }

    @GetMapping("/api/dead-letters")
    Page list(@RequestParam(required = false) String source,
              @RequestParam(defaultValue = "0") int page,
              @RequestParam(defaultValue = "50") int size) {
        int limit = Math.max(1, Math.min(size, 500));
        return new Page(deadLetters.find(source, limit, Math.max(0, page) * limit), deadLetters.count(source));
    }
}
