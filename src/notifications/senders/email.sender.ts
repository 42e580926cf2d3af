import { createTransport, type Transporter } from 'nodemailer';
import type { DeliveryResult, NotificationMessage } from '../notification-message.js';

/** Sends through SMTP_URL from SMTP_FROM, with a 10 s limit on each step; one transport for the process. */
export class EmailSender {
  private transport?: Transporter;

  constructor(
    private readonly smtpUrl: string | undefined,
    private readonly from: string | undefined,
  ) {}

  get configured(): boolean {
    return Boolean(this.smtpUrl && this.from);
  }

  async send(to: string[], message: NotificationMessage): Promise<DeliveryResult> {
    if (!this.configured) return { ok: false, error: 'email channels need SMTP_URL and SMTP_FROM' };
    this.transport ??= createTransport({ url: this.smtpUrl!, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000 });
    const text = [message.text, '', ...(message.fields ?? []).map((f) => `${f.name}: ${f.value}`), ...(message.url ? ['', message.url] : [])].join('\n');
    try {
      const info = await this.transport.sendMail({ from: this.from, to, subject: `[DockPulse ${message.severity}] ${message.title}`, text });
      return info.rejected?.length ? { ok: false, body: info.response, error: `The SMTP server refused ${info.rejected.join(', ')}` } : { ok: true };
    } catch (error) {
      const smtp = error as { responseCode?: number; response?: string; message: string };
      return { ok: false, status: smtp.responseCode, body: smtp.response, error: `The SMTP server did not accept the message: ${smtp.message}` };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
