import type { NotificationMessage, Severity } from '../notification-message.js';

const EMOJI: Record<Severity, string> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };
const COLOR: Record<Severity, number> = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xdc2626 };
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A Slack incoming-webhook message: `text` for notifications and old clients, `blocks` for the layout. */
export function slackBody(message: NotificationMessage) {
  const title = `${EMOJI[message.severity]} ${message.title}`;
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(message.text || ' ', 3000) } },
  ];
  if (message.fields?.length) {
    blocks.push({ type: 'section', fields: message.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${f.name}*\n${f.value}`, 2000) })) });
  }
  if (message.url) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${message.url}|Open in DockPulse>` }] });
  return { text: clip(`${title}\n${message.text}`, 3000), blocks };
}

/** A Discord webhook message: a short `content` and one embed coloured by severity. */
export function discordBody(message: NotificationMessage) {
  return {
    content: clip(`${EMOJI[message.severity]} **${message.title}**`, 2000),
    embeds: [
      {
        title: clip(message.title, 256),
        description: clip(message.text, 4096),
        color: COLOR[message.severity],
        ...(message.url && { url: message.url }),
        fields: (message.fields ?? []).slice(0, 25).map((f) => ({ name: clip(f.name, 256), value: clip(f.value || '-', 1024), inline: true })),
      },
    ],
  };
}

const PRIORITY: Record<Severity, string> = { info: '3', warning: '4', critical: '5' };
const TAGS: Record<Severity, string> = { info: 'information_source', warning: 'warning', critical: 'rotating_light' };
/** Header values must be Latin-1: anything else goes RFC 2047-encoded, which ntfy decodes. */
const headerText = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`);

/** An ntfy publish: the text as the body, title, priority and tags as headers. */
export function ntfyRequest(message: NotificationMessage, token: string | undefined) {
  const lines = [message.text, ...(message.fields ?? []).map((f) => `${f.name}: ${f.value}`)];
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    Title: headerText(clip(message.title.replace(/[\r\n]+/g, ' '), 250)),
    Priority: PRIORITY[message.severity],
    Tags: TAGS[message.severity],
  };
  if (message.url) headers.Click = message.url;
  if (token) headers.Authorization = `Bearer ${token}`;
  return { headers, body: lines.join('\n') };
}
