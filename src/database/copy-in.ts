import type { Writable } from 'node:stream';

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]); // 'c', length 4

/** What pg hands a submittable: the connection, whose socket is `stream`. */
interface PgConnection {
  stream: Writable;
  query(text: string): void;
}

/**
 * `COPY … FROM STDIN` whose whole input is at hand, as a pg submittable: the Query, every CopyData
 * message and the CopyDone go to the socket at once (corked, one writev), without waiting for the
 * server's CopyInResponse. PostgreSQL reads them in order; if the statement fails before or during
 * the copy, it drops the CopyData and CopyDone that follow ("accept but ignore", per its protocol).
 *
 * pg-copy-streams, made for input that arrives over time, waits for CopyInResponse and then for
 * the socket's 'drain' after each chunk: a trip through the event loop per 64 KB, and with
 * agents' frames in that loop PostgreSQL's backends sat waiting for the client about as long as
 * they worked (bench --db-profile, "COPY … (Client)").
 *
 * Resolves once the server has committed the rows and the connection is ready again; rejects with
 * the server's error (the rows are then not stored, and the connection goes on).
 */
export class CopyIn {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: Error) => void;

  constructor(
    readonly text: string,
    private readonly pieces: readonly Buffer[],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: PgConnection): void {
    const { stream } = connection;
    stream.cork();
    connection.query(this.text);
    for (const piece of this.pieces) {
      const header = Buffer.allocUnsafe(5);
      header[0] = COPY_DATA;
      header.writeUInt32BE(piece.length + 4, 1);
      stream.write(header);
      stream.write(piece);
    }
    stream.write(COPY_DONE);
    stream.uncork();
  }

  /** pg may replace it (query_timeout); called when the statement ends either way. */
  callback(): void {}

  /** The input is on its way already. */
  handleCopyInResponse(): void {}

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.callback();
    this.resolve();
  }

  /** An ErrorResponse (pg then drops the query; the server ignores the rest of the COPY) or a dead connection. */
  handleError(error: Error): void {
    this.callback();
    this.reject(error);
  }
}
