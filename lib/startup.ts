import { authSecret } from "@/lib/auth/secret";
import { env, productionConfigProblem } from "@/lib/env";

/**
 * docs/security.md: a server that cannot run safely refuses to start, with one line saying why and a
 * non-zero exit, rather than staying up and answering 500 to everything (/api/health too).
 */
export function refuseToStartIfMisconfigured() {
  try {
    const problem = productionConfigProblem(env());
    if (problem) throw new Error(problem);
    authSecret();
  } catch (error) {
    console.error(`[startup] refusing to start: ${(error as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
}
