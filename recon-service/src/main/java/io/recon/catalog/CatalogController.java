package io.recon.catalog;

import java.security.Principal;
import java.util.List;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalog API (contract: databases, sources, lookups, tasks and the change log). Roles are in system/security AccessRules:
 * reads for every reader, databases written by OPERATOR, sources and tasks by ANALYST or OPERATOR.
 */
@RestController
class CatalogController {

    private final Catalog catalog;
    private final List<CatalogStatus> statuses;

    CatalogController(Catalog catalog, List<CatalogStatus> statuses) {
        this.catalog = catalog;
        this.statuses = statuses;
    }

    /** A database as PUT takes it: the password is accepted here and nowhere returned. */
    record DatabaseInput(String name, CatalogDatabase.Kind kind, String host, Integer port, String database, String username,
                         String password, String passwordEnv) {
        @Override
        public String toString() {
            return "DatabaseInput[" + name + " at " + host + ":" + port + "/" + database + ", user=" + username + ", password=****]";
        }
    }

    @GetMapping("/api/sources")
    List<JsonNode> sources() {
        return catalog.sources().values().stream().map(this::view).toList();
    }

    @GetMapping("/api/sources/{name}")
    JsonNode source(@PathVariable String name) {
        return view(catalog.source(name).orElseThrow(() -> new CatalogRefusal(404, "There is no source named " + name
                + "; GET /api/sources lists them.", null)));
    }

    @PutMapping("/api/sources/{name}")
    JsonNode putSource(@PathVariable String name, @RequestBody CatalogSource body, @RequestParam(defaultValue = "false") boolean snapshot,
                       Principal user) {
        sameName(name, body.name(), "name");
        return view(catalog.putSource(name, body, user.getName(), snapshot));
    }

    @DeleteMapping("/api/sources/{name}")
    void deleteSource(@PathVariable String name, Principal user) {
        catalog.deleteSource(name, user.getName());
    }

    @GetMapping("/api/lookups")
    List<CatalogLookup> lookups() {
        return List.copyOf(catalog.lookups().values());
    }

    @GetMapping("/api/lookups/{name}")
    CatalogLookup lookup(@PathVariable String name) {
        return catalog.lookup(name).orElseThrow(() -> new CatalogRefusal(404, "There is no lookup named " + name
                + "; GET /api/lookups lists them.", null));
    }

    @PutMapping("/api/lookups/{name}")
    CatalogLookup putLookup(@PathVariable String name, @RequestBody CatalogLookup body, Principal user) {
        sameName(name, body.name(), "name");
        return catalog.putLookup(name, body, user.getName());
    }

    @DeleteMapping("/api/lookups/{name}")
    void deleteLookup(@PathVariable String name, Principal user) {
        catalog.deleteLookup(name, user.getName());
    }

    @GetMapping("/api/tasks")
    List<JsonNode> tasks() {
        java.util.Set<String> names = new java.util.TreeSet<>(catalog.tasks().keySet());
        catalog.sources().values().forEach(s -> names.add(s.task()));
        return names.stream().map(t -> view(catalog.task(t))).toList();
    }

    @GetMapping("/api/tasks/{task}")
    JsonNode task(@PathVariable String task) {
        if (catalog.taskEntry(task).isEmpty() && catalog.sourcesOf(task).isEmpty()) {
            throw new CatalogRefusal(404, "There is no task named " + task + "; GET /api/tasks lists them.", null);
        }
        return view(catalog.task(task));
    }

    @PutMapping("/api/tasks/{task}")
    JsonNode putTask(@PathVariable String task, @RequestBody CatalogTask body, Principal user) {
        sameName(task, body.task(), "task");
        return view(catalog.putTask(task, body, user.getName()));
    }

    @DeleteMapping("/api/tasks/{task}")
    void deleteTask(@PathVariable String task, Principal user) {
        catalog.deleteTask(task, user.getName());
    }

    @GetMapping("/api/databases")
    List<JsonNode> databases() {
        return catalog.databases().values().stream().map(this::view).toList();
    }

    @GetMapping("/api/databases/{name}")
    JsonNode database(@PathVariable String name) {
        return view(catalog.database(name).orElseThrow(() -> new CatalogRefusal(404, "There is no database named " + name
                + "; GET /api/databases lists them.", null)));
    }

    @PutMapping("/api/databases/{name}")
    JsonNode putDatabase(@PathVariable String name, @RequestBody DatabaseInput body, Principal user) {
        sameName(name, body.name(), "name");
        CatalogDatabase entry = new CatalogDatabase(name, body.kind(), body.host(), body.port(), body.database(), body.username(),
                body.passwordEnv(), null);
        return view(catalog.putDatabase(name, entry, body.password() == null || body.password().isEmpty() ? null : body.password(),
                user.getName()));
    }

    @DeleteMapping("/api/databases/{name}")
    void deleteDatabase(@PathVariable String name, @RequestParam(defaultValue = "false") boolean dropSlot, Principal user) {
        catalog.deleteDatabase(name, user.getName(), dropSlot);
    }

    @GetMapping("/api/catalog/changes")
    List<CatalogStore.Change> changes(@RequestParam(defaultValue = "100") int limit) {
        return catalog.changes(Math.max(1, Math.min(limit, 1000)));
    }

    private static void sameName(String path, String body, String field) {
        if (body != null && !body.isBlank() && !body.equals(path)) {
            throw CatalogRefusal.invalid("The body names " + field + " '" + body + "' but the path names '" + path + "'; leave " + field
                    + " out of the body or make them equal (to rename, PUT the new name and DELETE the old one).", field);
        }
    }

    private JsonNode view(CatalogSource source) {
        ObjectNode node = CatalogStore.JSON.valueToTree(source);
        CatalogStatus.Status status = statuses.stream().map(s -> s.source(source)).filter(java.util.Objects::nonNull).findFirst()
                .orElse(new CatalogStatus.Status(source.isEnabled() ? "RUNNING" : "STOPPED", null, null));
        node.put("status", status.status());
        node.put("reason", status.reason());
        node.put("lastEventAt", status.lastEventAt() == null ? null : status.lastEventAt().toString());
        return node;
    }

    private JsonNode view(CatalogTask task) {
        ObjectNode node = CatalogStore.JSON.valueToTree(task);
        node.putPOJO("sources", catalog.sourcesOf(task.task()));
        return node;
    }

    private JsonNode view(CatalogDatabase database) {
        ObjectNode node = CatalogStore.JSON.valueToTree(database);
        node.put("passwordSet", catalog.passwordSet(database.name()));
        CatalogStatus.Status status = statuses.stream().map(s -> s.database(database)).filter(java.util.Objects::nonNull).findFirst()
                .orElse(new CatalogStatus.Status("STOPPED", null, null));
        node.put("status", status.status());
        node.put("reason", status.reason());
        return node;
    }
}
