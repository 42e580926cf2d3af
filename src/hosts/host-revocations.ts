import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

/**
 * Announces hosts whose agent tokens were just revoked (host deleted or re-enrolled), so whoever
 * holds their live sockets can close them at once instead of waiting for the next check.
 */
@Injectable()
export class HostRevocations {
  private readonly revoked = new Subject<string>();
  readonly revoked$ = this.revoked.asObservable();

  revoke(hostId: string): void {
    this.revoked.next(hostId);
  }
}
