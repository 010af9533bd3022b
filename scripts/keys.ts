/**
 * API keys, straight in the gateway's store (DATA_DIR, default ./data):
 *   npm run keys -- create --role <issuer|attestor|auditor|regulator|admin> [--label L] [--wallet 0x…]
 *   npm run keys -- list
 *   npm run keys -- revoke <id>
 * The secret is printed once; only its sha256 is stored.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isAddress } from "ethers";
import { createApiKey } from "../server/auth/api-keys";
import { ConfigError, loadConfig } from "../server/config";
import { openSqliteStore } from "../server/store/sqlite";
import { API_ROLES, type ApiRole } from "../server/store/store";

function usage(message?: string): never {
  if (message) console.error(`keys: ${message}`);
  console.error("usage: npm run keys -- create --role <role> [--label L] [--wallet 0x…] | list | revoke <id>");
  process.exit(2);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: "string" }, label: { type: "string" }, wallet: { type: "string" }, json: { type: "boolean" } },
  });
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) usage(e.message);
    throw e;
  }
  const store = await openSqliteStore(join(config.DATA_DIR, "gateway.db"));
  try {
    const [command, arg] = positionals;
    if (command === "create") {
      const role = values.role as ApiRole | undefined;
      if (!role || !API_ROLES.includes(role)) usage(`--role must be one of ${API_ROLES.join(", ")}`);
      if (values.wallet !== undefined && !isAddress(values.wallet)) usage(`--wallet ${values.wallet} is not an address`);
      if (role === "issuer" && !values.wallet) usage("an issuer key needs --wallet (the issuer's wallet)");
      const { record, token } = await createApiKey(store, { role, label: values.label ?? `${role} key`, wallet: values.wallet });
      if (values.json) console.log(JSON.stringify({ ...record, token }));
      else console.log(`created ${record.role} key ${record.id}\n\n  ${token}\n\nKeep it: it is not shown again.`);
    } else if (command === "list") {
      const keys = await store.apiKeys.list();
      if (values.json) console.log(JSON.stringify(keys));
      else for (const k of keys) console.log(`${k.id}  ${k.role.padEnd(9)}  ${k.revokedAt ? "revoked " : "active  "}  ${k.label}${k.wallet ? `  ${k.wallet}` : ""}`);
    } else if (command === "revoke") {
      if (!arg) usage("revoke needs a key id");
      if (!(await store.apiKeys.revoke(arg, new Date().toISOString()))) usage(`no active key ${arg}`);
      console.log(`revoked ${arg}`);
    } else {
      usage(command ? `unknown command ${command}` : undefined);
    }
  } finally {
    await store.close();
  }
}

main().catch((e: Error) => {
  console.error(`keys: ${e.message}`);
  process.exit(1);
});
