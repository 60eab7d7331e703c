/** Owner-scoped rooms and logs (docs/api.md): the data layer the routes and pages read through. */
export * from "./cursor";
export * from "./rooms";
export * from "./logs";
