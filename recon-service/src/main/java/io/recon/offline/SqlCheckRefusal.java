package io.recon.offline;

/** An SQL check that may not run or does not run on the staged tables (answered 422: the request is well formed, its SQL is not). */
class SqlCheckRefusal extends RunRefusal {

    SqlCheckRefusal(String message) {
        super(message);
    }
}
