package io.recon.rules;

/** How urgently a mismatch needs a person: P1 wakes someone up, P4 waits for the daily digest. */
public enum Severity {
    P1, P2, P3, P4
}
