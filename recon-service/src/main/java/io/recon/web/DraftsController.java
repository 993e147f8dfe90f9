package io.recon.web;

import java.security.Principal;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Drafts saved on the server, so an analyst can close the browser and come back. Anyone who reads
 * may list and open them; saving and deleting need ANALYST or RELEASER (see SecurityConfig).
 */
@RestController
@RequestMapping("/api/drafts")
class DraftsController {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,99}");
    static final int MAX_FILES = 200;

    private final DraftStore drafts;

    DraftsController(DraftStore drafts) {
        this.drafts = drafts;
    }

    @GetMapping
    List<Draft> list() {
        return drafts.list();
    }

    @GetMapping("/{name}")
    Draft get(@PathVariable String name) {
        return drafts.find(name).orElseThrow(() -> notFound(name));
    }

    @PutMapping("/{name}")
    Draft save(@PathVariable String name, @RequestBody Draft draft, Principal user) {
        if (!NAME.matcher(name).matches()) {
            throw new WebRefusal(HttpStatus.BAD_REQUEST, "Draft name '" + name + "' is not usable: start with a letter or digit and use"
                    + " at most 100 letters, digits, spaces, dots, dashes or underscores.");
        }
        if (draft.name() != null && !draft.name().equals(name)) {
            throw new WebRefusal(HttpStatus.BAD_REQUEST, "The draft in the body is named '" + draft.name() + "' but the address names '"
                    + name + "': save it under one name (to rename, save under the new name and delete the old one).");
        }
        List<Draft.File> files = draft.files() == null ? List.of() : draft.files();
        if (files.size() > MAX_FILES) {
            throw new WebRefusal(HttpStatus.BAD_REQUEST, "Draft '" + name + "' has " + files.size() + " files; a draft holds at most "
                    + MAX_FILES + ".");
        }
        for (Draft.File file : files) {
            if (file == null || file.name() == null || file.name().isBlank() || file.content() == null) {
                throw new WebRefusal(HttpStatus.BAD_REQUEST, "Draft '" + name + "' has a file without a name or without content: every"
                        + " file needs both (an empty file has content \"\").");
            }
        }
        return drafts.save(name, draft.task(), draft.baseVersion(), files, user.getName());
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        if (!drafts.delete(name)) {
            throw notFound(name);
        }
        return ResponseEntity.noContent().build();
    }

    private static WebRefusal notFound(String name) {
        return new WebRefusal(HttpStatus.NOT_FOUND, "There is no draft named '" + name + "'; GET /api/drafts lists the saved drafts.");
    }
}
