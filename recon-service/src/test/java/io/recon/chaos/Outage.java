package io.recon.chaos;

/**
 * Which dependency an outage run takes away while the traffic flows, and how the run is laid out so that only
 * that dependency goes: the results store is the service's own PostgreSQL, the source databases (shop, pay, wms)
 * live in a PostgreSQL of their own ({@link SourceDatabases}), the broker runs in a process of its own
 * ({@link BrokerProcess}).
 */
enum Outage {
    NONE("nothing"), PG("the results PostgreSQL"), KAFKA("the Kafka broker"), SOURCE("the source databases' PostgreSQL");

    final String what;

    Outage(String what) {
        this.what = what;
    }

    /** The source databases move off the results server, so that stopping one does not stop the other. */
    boolean ownSourceServer() {
        return this == PG || this == SOURCE;
    }

    boolean ownBroker() {
        return this == KAFKA;
    }

    static Outage of(String name) {
        return switch (name) {
            case "pg", "postgres" -> PG;
            case "kafka" -> KAFKA;
            case "source" -> SOURCE;
            default -> throw new IllegalArgumentException("unknown outage '" + name + "'; use pg, kafka or source");
        };
    }
}
