import type { TestProject } from "vitest/node";
import { startStack } from "./support/stack";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    redisUrl: string;
    redisControlUrl: string;
    keyPrefix: string;
    llmUrl: string;
  }
}

/** One production server for the whole run; each test makes its own users and rooms. */
export default async function setup(project: TestProject) {
  const stack = await startStack();
  project.provide("baseUrl", stack.baseUrl);
  project.provide("databaseUrl", stack.databaseUrl ?? "");
  project.provide("redisUrl", stack.redisUrl ?? "");
  project.provide("redisControlUrl", stack.redisControlUrl ?? "");
  project.provide("keyPrefix", stack.keyPrefix);
  project.provide("llmUrl", stack.llmUrl);
  return () => stack.stop();
}
