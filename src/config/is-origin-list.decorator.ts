import { ValidateBy } from 'class-validator';

/** The entries of a comma-separated list, trimmed, empty ones dropped. */
export const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** `*`, or a URL origin exactly as browsers send it: scheme, host and optional port, no path. */
function isOrigin(entry: string): boolean {
  if (entry === '*') return true;
  try {
    const url = new URL(entry);
    return /^https?:$/.test(url.protocol) && url.origin === entry;
  } catch {
    return false;
  }
}

/** A comma-separated list of origins such as `https://dash.example.com,http://localhost:5173`, or `*`. */
export const IsOriginList = () =>
  ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && splitList(value).length > 0 && splitList(value).every(isOrigin),
      defaultMessage: (args) =>
        `${args?.property} must be a comma-separated list of origins such as https://dash.example.com (scheme, host, optional port, no path or trailing slash), or *`,
    },
  });
