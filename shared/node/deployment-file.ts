/** Node-only: reading a deployment file from disk (the browser gets the same content over HTTP). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeploymentFileError, parseDeployment, type Deployment } from "../deployment";

/** Where `<dir>/<network>.json` is. */
export const deploymentFile = (dir: string, network: string): string => join(dir, `${network}.json`);

/**
 * Reads and validates a deployment file; throws {@link DeploymentFileError} naming the file.
 *
 * @example
 * const deployment = readDeploymentFile(deploymentFile("deployments", "localhost"));
 */
export function readDeploymentFile(file: string): Deployment {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DeploymentFileError(
      code === "ENOENT" ? `there is no deployment file ${file}: deploy first (npm start)` : `cannot read the deployment file ${file}: ${(e as Error).message}`,
    );
  }
  return parseDeployment(text, file);
}
