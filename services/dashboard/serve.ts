/**
 * The dashboard as a local Node server (`npm start`). It binds to 127.0.0.1 by default: the data may name private
 * repositories and the server has no authentication of its own.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDashboardApp, type DashboardDeps } from './app';

export interface ServeDashboardOptions extends DashboardDeps {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
}

export interface RunningDashboard {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * @example
 * const dashboard = await serveDashboard({ port: 8080, client, tableName: 'osdc-rca-State' });
 * console.log(`dashboard on ${dashboard.url}`);
 */
export function serveDashboard(options: ServeDashboardOptions): Promise<RunningDashboard> {
  const { port, host = '127.0.0.1', ...deps } = options;
  const app = createDashboardApp(deps);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject);
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
