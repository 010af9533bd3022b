/**
 * A network hop in front of a real js-ipfs daemon's Kubo RPC API that can freeze the daemon (SIGSTOP) at
 * the worst moment for a gateway: right after an `add` request has reached it whole. The connection to the
 * daemon is kept open when the gateway gives up, as a real network keeps delivering what was sent, so the
 * daemon finds the complete request when it resumes (SIGCONT) and pins the content of a request that has
 * failed: the late pin of issue 14. Registers no mocha test.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FreezeProxy {
  url: string;
  /** The next `add` freezes the daemon once it has been forwarded whole; resolves when it froze. */
  freezeOnNextAdd(): Promise<void>;
  /** Requests forwarded, by path. */
  paths: string[];
  close(): Promise<void>;
}

export async function startFreezeProxy(target: string, daemonPid: number): Promise<FreezeProxy> {
  const upstream = new URL(target);
  let armed: (() => void) | undefined;
  const paths: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    paths.push(req.url ?? "");
    const freeze = armed && req.url?.startsWith("/api/v0/add") ? armed : undefined;
    if (freeze) armed = undefined;
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        if (res.destroyed) {
          answer.resume(); // the gateway gave up: the daemon's late answer goes nowhere
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
    req.on("end", () => {
      if (!freeze) return;
      // Once the request is on its way whole, the daemon stops mid-work.
      const stop = () => {
        process.kill(daemonPid, "SIGSTOP");
        freeze();
      };
      if (out.writableFinished) stop();
      else out.once("finish", stop);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    freezeOnNextAdd() {
      return new Promise<void>((resolve) => {
        armed = resolve;
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
