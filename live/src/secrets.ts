// Credentials never leave the process: URLs are shown without them and any text that could carry one is masked.

/**
 * The URL without its userinfo (`http://u:p@h:8008/x` → `http://h:8008/x`), for display. Text
 * the URL parser refuses loses anything between `//` and the last `@` before the path all the
 * same: a mistyped URL is shown in an error message, and its password must not be.
 */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1');
  }
}

/** The username and password in a URL's userinfo, decoded; undefined where absent. */
export function credentialsOf(url: string): { username?: string; password?: string } {
  try {
    const u = new URL(url);
    return {
      username: u.username ? decodeURIComponent(u.username) : undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * Replaces every occurrence of each secret in `text` with `***`, in the forms an error message may
 * carry it (as given, URL-encoded). Secrets shorter than 3 characters are masked too: an error
 * that reveals even a short password is a leak.
 */
export function mask(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    if (out.includes(s)) out = out.split(s).join('***');
    const encoded = encodeURIComponent(s);
    if (encoded !== s && out.includes(encoded)) out = out.split(encoded).join('***');
  }
  return out;
}
