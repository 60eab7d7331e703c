/**
 * Owner-scoped rooms and logs (docs/api.md): the data layer the routes and pages read through.
 * Every query takes its parameters and, optionally, the database handle to run on — pass a
 * transaction to make several of them one unit; without it each uses the shared connection.
 */
export * from "./cursor";
export * from "./rooms";
export * from "./logs";
export * from "./rendered";
