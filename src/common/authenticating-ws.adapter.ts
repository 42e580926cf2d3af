import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';

/** Resolves the principal of an upgrade request, or rejects (the upgrade is then refused with 401). */
export type UpgradeAuthenticator = (request: IncomingMessage) => Promise<unknown>;

/** The principal an authenticator resolved, for the gateway's handleConnection. */
export const principalOf = <T>(request: IncomingMessage): T => (request as IncomingMessage & { principal: T }).principal;

/**
 * WsAdapter that authenticates the HTTP upgrade itself (ws's verifyClient), so a bad credential
 * gets a real `401` and no socket is ever opened. Gateways that read raw messages themselves (no
 * @SubscribeMessage handlers) are not also routed through Nest's parser: that would parse every
 * frame twice and drop what it cannot route.
 */
export class AuthenticatingWsAdapter extends WsAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly authenticators: Record<string, UpgradeAuthenticator>,
  ) {
    super(app);
  }

  create(port: number, options: Record<string, any> = {}) {
    const authenticate = options.path ? this.authenticators[options.path] : undefined;
    if (!authenticate) return super.create(port, options);
    return super.create(port, {
      ...options,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
        authenticate(info.req).then(
          (principal) => {
            (info.req as IncomingMessage & { principal: unknown }).principal = principal;
            done(true);
          },
          (error: Error) => done(false, 401, (error?.message ?? 'Unauthorized').replace(/[\r\n]/g, ' ')),
        );
      },
    });
  }

  /** A peer's protocol error (oversized frame, bad opcode) is the peer's problem: debug, not error. */
  bindErrorHandler(server: any) {
    server.on('connection', (socket: any) => socket.on('error', (error: Error) => this.logger.debug(`Socket closed on a peer error: ${error.message}`)));
    server.on('error', (error: Error) => this.logger.error(error));
    return server;
  }

  bindMessageHandlers(client: any, handlers: any[], transform: (data: any) => any) {
    if (handlers.length) super.bindMessageHandlers(client, handlers, transform);
  }
}
