import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy in front of the real Redis that tests can cut and restore, to simulate an
 * outage without stopping the shared server. Controlled over HTTP (the test workers run in
 * other processes): `POST /down` drops every connection and refuses new ones, `POST /up`
 * lets them through again.
 */
export type TcpProxy = { port: number; controlUrl: string; setUp: (up: boolean) => void; close: () => Promise<void> };

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let up = true;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  const setUp = (value: boolean) => {
    up = value;
    if (!up) for (const socket of open) socket.destroy();
  };
  const control = http.createServer((req, res) => {
    if (req.method === "POST" && (req.url === "/down" || req.url === "/up")) setUp(req.url === "/up");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ up }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    setUp,
    close: async () => {
      for (const socket of open) socket.destroy();
      await Promise.all([
        new Promise((resolve) => server.close(resolve)),
        new Promise((resolve) => control.close(resolve)),
      ]);
    },
  };
}
