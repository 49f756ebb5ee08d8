/** Helpers for tests of core and of its callers. Not for production code. */
export * from "./db.js";
export * from "./fixtures.js";
