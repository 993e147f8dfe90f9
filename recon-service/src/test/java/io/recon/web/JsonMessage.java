package io.recon.web;

import java.net.http.HttpResponse;

/** The sentence an API refusal carries, as the workbench shows it. */
final class JsonMessage {

    private JsonMessage() {
    }

    static String of(HttpResponse<String> response) {
        return WorkbenchService.JSON.readTree(response.body()).path("message").asString();
    }
}
