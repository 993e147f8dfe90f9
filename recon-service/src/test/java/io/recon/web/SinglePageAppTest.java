package io.recon.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which GETs the app answers (a refresh on any of its pages) and which stay the server's. */
class SinglePageAppTest {

    @Test
    void pagesOfTheAppIncludingOnesNamedByAVersionAreClientRoutes() {
        assertThat(SinglePageApp.isClientRoute("/")).isTrue();
        assertThat(SinglePageApp.isClientRoute("/mismatches")).isTrue();
        assertThat(SinglePageApp.isClientRoute("/mismatches/42")).isTrue();
        assertThat(SinglePageApp.isClientRoute("/releases/1.0.0")).isTrue();
        assertThat(SinglePageApp.isClientRoute("/releases/1.1.0-SNAPSHOT")).isTrue();
        assertThat(SinglePageApp.isClientRoute("/apis-overview")).as("only the /api segment is the API").isTrue();
    }

    @Test
    void filesTheApiTheActuatorAndErrorsAreNot() {
        assertThat(SinglePageApp.isClientRoute("/assets/index-3f2a1b.js")).isFalse();
        assertThat(SinglePageApp.isClientRoute("/favicon.ico")).isFalse();
        assertThat(SinglePageApp.isClientRoute("/assets/font.woff2")).isFalse();
        assertThat(SinglePageApp.isClientRoute("/api")).isFalse();
        assertThat(SinglePageApp.isClientRoute("/api/mismatches")).isFalse();
        assertThat(SinglePageApp.isClientRoute("/actuator/health")).isFalse();
        assertThat(SinglePageApp.isClientRoute("/error")).isFalse();
    }
}
